package io.listenq.exporter.testing;

/**
 * Closes a test's resources in the order given, all of them even when one fails (a namespace must be deleted
 * even if stopping the exporter threw), then rethrows the first failure with the others suppressed.
 */
public final class Teardown {
    private Teardown() {}

    /** @param resources null (skipped), an AutoCloseable, or an Iterable of them (closed in iteration order) */
    public static void closeAll(Object... resources) throws Exception {
        Exception first = null;
        for (Object r : resources) {
            Iterable<?> items = r instanceof Iterable<?> it ? it : java.util.Collections.singletonList(r);
            for (Object item : items) {
                if (item == null) {
                    continue;
                }
                try {
                    ((AutoCloseable) item).close();
                } catch (Exception e) {
                    if (first == null) {
                        first = e;
                    } else {
                        first.addSuppressed(e);
                    }
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
