package io.hexbus.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP relay on a loopback port of its own to a real server, which a test cuts to make that server unreachable to
 * whatever connected through it, without stopping the server others share. Each connection is piped both ways by
 * two daemon threads. Thread-safe; {@link #close()} cuts every connection and refuses new ones.
 */
final class TcpRelay implements AutoCloseable {

    private final ServerSocket listener;
    private final String targetHost;
    private final int targetPort;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private boolean closed; // guarded by this

    private TcpRelay(String targetHost, int targetPort) throws IOException {
        this.targetHost = targetHost;
        this.targetPort = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    /**
     * @param targetHost the real server's host
     * @param targetPort its port
     * @return the relay, accepting
     */
    static TcpRelay to(String targetHost, int targetPort) {
        try {
            TcpRelay relay = new TcpRelay(targetHost, targetPort);
            daemon("relay-accept", relay::accept);
            return relay;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the loopback port to connect to instead of the server's */
    int port() {
        return listener.getLocalPort();
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket client = null;
            try {
                client = listener.accept();
                Socket server = new Socket(targetHost, targetPort);
                if (!keep(client, server)) {
                    return; // closed while this connection was being set up: it is cut with the rest
                }
                Socket up = client;
                daemon("relay-up", () -> pipe(up, server));
                daemon("relay-down", () -> pipe(server, up));
            } catch (IOException closedOrRefused) {
                // closed by close(): the loop ends; a refused server connection drops that one client
                closeQuietly(client);
            }
        }
    }

    /**
     * Records a relayed pair unless the relay was closed meanwhile, in which case it closes them: a connection
     * accepted while {@link #close()} ran must not outlive it.
     */
    private synchronized boolean keep(Socket client, Socket server) {
        if (closed) {
            closeQuietly(client);
            closeQuietly(server);
            return false;
        }
        sockets.add(client);
        sockets.add(server);
        return true;
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private static void pipe(Socket from, Socket to) {
        byte[] buffer = new byte[8192];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException cut) {
            // one side closed: the finally of try-with-resources closes the other
        }
    }

    private static void daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops accepting and cuts every relayed connection, as a broker going away would. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        sockets.forEach(TcpRelay::closeQuietly);
    }
}
