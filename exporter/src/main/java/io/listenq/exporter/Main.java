package io.listenq.exporter;

public final class Main {
    public static void main(String[] args) {
        System.out.println("listenq-exporter");
    }
}
