package io.listenq.collectors.testing;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped or aborted test with its reason on the console (standard error), so a run without root,
 * without a tool or without podman's API says why in the build log, not only in target/*-reports. Registered for
 * the JUnit launcher through META-INF/services; the exporter module gets it through this module's test-jar.
 */
public final class SkipReporter implements TestExecutionListener {

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private static void print(TestIdentifier test, String reason) {
        String name = test.getSource()
                .filter(MethodSource.class::isInstance)
                .map(s -> ((MethodSource) s).getClassName() + "." + ((MethodSource) s).getMethodName())
                .orElse(test.getDisplayName());
        System.err.println("SKIPPED " + name + ": " + reason);
    }
}
