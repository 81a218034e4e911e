package io.listenq.exporter;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The jar's Main-Class, compiled for Java 8 (its own compiler execution, --release 8) so that any JVM since 8 can
 * load it: on Java older than 25 it prints one line and exits 1, instead of the UnsupportedClassVersionError that
 * loading {@code Main} (class file version 69) would throw. Nothing here may use an API newer than Java 8, and
 * Main is looked up by name: javac for release 8 cannot read its class file.
 */
public final class RequireJava25 {
    private static final int REQUIRED = 25;

    private RequireJava25() {
    }

    public static void main(String[] args) throws Throwable {
        String spec = System.getProperty("java.specification.version", "0");
        // "1.8" before Java 9, then "9", "17", "25".
        String feature = spec.startsWith("1.") ? spec.substring(2) : spec;
        int major;
        try {
            major = Integer.parseInt(feature);
        } catch (NumberFormatException e) {
            major = 0;
        }
        if (major < REQUIRED) {
            System.err.println("listenq-exporter needs Java " + REQUIRED + " or newer, this is Java " + feature
                    + ": use bin/listenq-exporter or set JAVA_HOME");
            System.exit(1);
        }
        MethodHandles.publicLookup()
                .findStatic(Class.forName("io.listenq.exporter.Main"), "main",
                        MethodType.methodType(void.class, String[].class))
                .invokeExact(args);
    }
}
