package dev.coro.io;

import dev.coro.EventLoop;
import dev.coro.Promise;
import dev.coro.Task;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The protocol between a transport and a stream reader/writer pair (asyncio's
 * {@code StreamReaderProtocol} with its {@code FlowControlMixin}).
 */
final class StreamProtocol implements Protocol {
    private final EventLoop loop;
    private final StreamReader reader;
    private final ConnectionHandler handler;
    private Transport transport;
    private StreamWriter writer;
    private final Promise<Void> closed;
    private boolean paused;
    private boolean connectionLost;
    private final ArrayDeque<Promise<Void>> drainWaiters = new ArrayDeque<>(1);

    StreamProtocol(EventLoop loop, StreamReader reader, ConnectionHandler handler) {
        this.loop = loop;
        this.reader = reader;
        this.handler = handler;
        this.closed = loop.createPromise();
    }

    @Override
    public void connectionMade(Transport t) {
        transport = t;
        reader.setTransport(t);
        if (handler != null) {
            writer = new StreamWriter(t, this, reader);
            Task<?> task = loop.spawn(handler.handle(reader, writer));
            task.addDoneCallback(done -> {
                if (done.isCancelled()) {
                    t.close();
                    return;
                }
                Throwable e = done.exception();
                if (e != null) {
                    java.util.Map<String, Object> context = EventLoop.errorContext(
                            "Unhandled exception in client_connected_cb", e, "transport", t);
                    loop.callExceptionHandler(context);
                }
                // Deliberate difference: asyncio closes the connection when the writer is
                // garbage-collected; Coro closes it when the handler's task ends.
                t.close();
            });
        }
    }

    StreamWriter writer() {
        return writer;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        reader.feedData(data);
    }

    @Override
    public boolean eofReceived() {
        reader.feedEof();
        return true;
    }

    @Override
    public void connectionLost(Throwable exception) {
        if (exception == null) {
            reader.feedEof();
        } else {
            reader.setException(exception);
        }
        if (!closed.isDone()) {
            if (exception == null) {
                closed.setResult(null);
            } else {
                closed.setException(exception);
                closed.exception(); // retrieved: waitClosed() re-throws it to whoever asks
            }
        }
        connectionLost = true;
        if (paused) {
            for (Promise<Void> w : drainWaiters) {
                if (!w.isDone()) {
                    if (exception == null) {
                        w.setResult(null);
                    } else {
                        w.setException(exception);
                        w.exception();
                    }
                }
            }
        }
    }

    @Override
    public void pauseWriting() {
        paused = true;
    }

    @Override
    public void resumeWriting() {
        paused = false;
        for (Promise<Void> w : drainWaiters) {
            if (!w.isDone()) {
                w.setResult(null);
            }
        }
    }

    /** @return null when writing may go on, else a waiter to await */
    Promise<Void> drainWaiter() throws SocketException {
        if (connectionLost) {
            throw new SocketException("Connection lost");
        }
        if (!paused) {
            return null;
        }
        Promise<Void> waiter = loop.createPromise();
        drainWaiters.add(waiter);
        return waiter;
    }

    void drainDone(Promise<Void> waiter) {
        drainWaiters.remove(waiter);
    }

    Promise<Void> closedPromise() {
        return closed;
    }

    Transport transport() {
        return transport;
    }

    /** @return true for a server's connection (asyncio: a client_connected_cb is set) */
    boolean isServerSide() {
        return handler != null;
    }

    /** After startTls (asyncio's {@code _replace_transport}); the reader keeps the socket's transport. */
    void replaceTransport(Transport tls) {
        transport = tls;
    }
}
