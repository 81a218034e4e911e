package io.listenq.exporter.sample;

import java.io.IOException;

/**
 * Gets the sampler thread into the namespace being sampled, for a source about to open an fd there. Reading
 * needs no entry: every fd a source keeps (the net/* and sysctl files, the sock_diag socket) stays bound to the
 * namespace it was opened in (docs/kernel.md §1, §7), so an idle namespace is read without a setns at all.
 */
interface NetnsEntry {
    /** The thread is inside already (the exporter's own namespace, or entered earlier in this round). */
    NetnsEntry INSIDE = () -> {};

    /** Makes sure the calling thread is inside the namespace; idempotent within a round. */
    void enter() throws IOException;
}
