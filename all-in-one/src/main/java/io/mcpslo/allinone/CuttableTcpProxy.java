package io.mcpslo.allinone;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A loopback TCP relay to a real server that can be cut and restored on the same port: while cut, connections are
 * refused and those open are reset, as a service sees its database stopped. The fault-matrix tests and the soak
 * use it to take ClickHouse away from the pipeline without stopping a server that others keep using.
 */
public final class CuttableTcpProxy implements AutoCloseable {

    private final int targetPort;
    private final int port;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket listener;

    private CuttableTcpProxy(int targetPort, int port) {
        this.targetPort = targetPort;
        this.port = port;
    }

    public static CuttableTcpProxy start(int targetPort) throws IOException {
        ServerSocket first = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        CuttableTcpProxy proxy = new CuttableTcpProxy(targetPort, first.getLocalPort());
        proxy.listen(first);
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Refuses new connections and resets the open ones. */
    public synchronized void cut() throws IOException {
        if (listener != null) {
            listener.close();
            listener = null;
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /** Relays again, on the same port. */
    public synchronized void restore() throws IOException {
        if (listener == null) {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listen(socket);
        }
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private void listen(ServerSocket socket) {
        listener = socket;
        Thread.ofVirtual().name("proxy-accept-" + port).start(() -> {
            while (!socket.isClosed()) {
                try {
                    relay(socket.accept());
                } catch (IOException closed) {
                    return;
                }
            }
        });
    }

    private void relay(Socket client) {
        Socket server;
        try {
            server = new Socket(InetAddress.getLoopbackAddress(), targetPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(server);
        Thread.ofVirtual().start(() -> pump(client, server));
        Thread.ofVirtual().start(() -> pump(server, client));
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int read;
            while ((read = in.read(buffer)) >= 0) {
                out.write(buffer, 0, read);
                out.flush();
            }
        } catch (IOException closed) {
            // either side went away: the other side is closed below
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            open.remove(from);
            open.remove(to);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
