package io.listenq.exporter.http;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Where bcrypt runs: {@value #THREADS} threads and a queue of {@value #QUEUE}. bcrypt is slow on purpose (about
 * 50-100 ms at cost 10 on this project's machine), so the pool bounds what wrong guesses cost: at most two cores,
 * and at most {@value #THREADS} + {@value #QUEUE} request threads waiting for it. One more check is refused at once
 * ({@link RejectedExecutionException}) and answered 503, instead of queueing every request thread behind one lock
 * (300 clients with wrong passwords once left 247 of 249 Jetty threads blocked and valid scrapes timing out).
 * Idle threads exit, so a reload or an unused pool holds nothing.
 */
final class BcryptPool {
    static final int THREADS = 2;
    static final int QUEUE = 8;
    /** A caller gives up after this long; with the queue full the wait is about (QUEUE / THREADS + 1) bcrypts. */
    static final long WAIT_SECONDS = 10;

    private final ThreadPoolExecutor executor;

    BcryptPool() {
        executor = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                30,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE),
                Thread.ofPlatform().name("listenq-bcrypt-", 0).daemon(true).factory(),
                new ThreadPoolExecutor.AbortPolicy());
        executor.allowCoreThreadTimeOut(true);
    }

    /** @throws RejectedExecutionException when every thread is busy and the queue is full */
    <T> Future<T> submit(Callable<T> check) {
        return executor.submit(check);
    }
}
