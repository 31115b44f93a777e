package io.fibflow.embedded.internals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Finds loopback ports that are free at the moment of asking. */
public final class FreePorts {
    public static final String LOOPBACK = "127.0.0.1";

    private FreePorts() {
    }

    /**
     * Returns a port nobody listens on right now. Another process may still take it before
     * the caller binds it; the window is small enough for a test or dev process.
     */
    public static int next() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on " + LOOPBACK, e);
        }
    }
}
