package io.treeprop.spark.train;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the barrier tasks of a run connect to the driver over TCP: one thread accepts connections for the life of
 * the run, and each connection's hello ({@link Wire#writeHello}: magic, version, the run's token, attempt,
 * partition) is read on its own short-lived thread with a {@value #HELLO_TIMEOUT_MS} ms timeout. So a connection
 * that sends nothing (a port scanner, a stuck client) holds up no one: tasks that connect after it are let in at
 * once. Strangers (another magic, version or token) are logged and closed; connections of another attempt are
 * closed when they are taken.
 */
final class TcpDoor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TcpDoor.class);
  /** A task sends its hello as soon as it has connected; this only bounds what a silent connection costs. */
  static final int HELLO_TIMEOUT_MS = 5_000;

  /** A connection that said hello; {@code key} seals its messages, null on a plain channel. */
  record Arrival(Socket socket, int attempt, int partition, SecretKeySpec key) {}

  private final ServerSocket server;
  private final long token;
  /** Null: a plain channel (the token proves membership). */
  private final Sealing sealing;
  private final int partitions;
  private final int sendBuffer;
  private final BlockingQueue<Arrival> arrived = new LinkedBlockingQueue<>();
  private final ExecutorService readers = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "treeprop-barrier-hello");
    t.setDaemon(true);
    return t;
  });
  private final Thread acceptor;
  private volatile boolean closed;

  /**
   * Listens on {@code bind} (any free port).
   *
   * @param sendBuffer socket send and receive buffer size, bytes
   */
  TcpDoor(String bind, int partitions, long token, int sendBuffer) {
    this(bind, partitions, token, sendBuffer, null);
  }

  /** With {@code sealing}, tasks must prove they hold Spark's secret, and every message is sealed. */
  TcpDoor(String bind, int partitions, long token, int sendBuffer, Sealing sealing) {
    this.token = token;
    this.sealing = sealing;
    this.partitions = partitions;
    this.sendBuffer = sendBuffer;
    try {
      server = new ServerSocket();
      server.setReceiveBufferSize(sendBuffer); // before bind, or it is capped at 64 KB
      server.bind(new InetSocketAddress(InetAddress.getByName(bind), 0), Math.max(50, 2 * partitions));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the barrier exchange's socket on " + bind
          + " (spark.driver.bindAddress / spark.driver.host); use exchange=tree", e);
    }
    acceptor = new Thread(this::acceptLoop, "treeprop-barrier-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /**
   * The next connection of {@code attempt} that said hello, or null when none came within {@code waitMs}. Those
   * of other attempts (late tasks of a failed one) are closed.
   */
  Arrival next(int attempt, long waitMs) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
    while (true) {
      Arrival a = arrived.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (a == null || a.attempt() == attempt) {
        return a;
      }
      quietlyClose(a.socket());
    }
  }

  private void acceptLoop() {
    while (!closed) {
      Socket c;
      try {
        c = server.accept();
      } catch (IOException e) {
        if (!closed) {
          LOG.warn("the barrier exchange stopped accepting connections: {}", e.toString());
        }
        return;
      }
      try {
        readers.execute(() -> greet(c));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        quietlyClose(c);
      }
    }
  }

  /** Reads one hello; queues the connection if it is one of this run's tasks. */
  private void greet(Socket c) {
    try {
      c.setTcpNoDelay(true);
      c.setSendBufferSize(sendBuffer);
      c.setSoTimeout(HELLO_TIMEOUT_MS);
      DataInputStream in = new DataInputStream(c.getInputStream());
      if (in.readInt() != Wire.MAGIC || in.readInt() != Wire.VERSION
          || in.readLong() != (sealing == null ? token : 0L)) {
        LOG.warn("ignoring a connection from {} that is not one of this run's tasks", c.getRemoteSocketAddress());
        quietlyClose(c);
        return;
      }
      int a = in.readInt();
      int p = in.readInt();
      SecretKeySpec key = null;
      if (sealing != null) {
        byte[] nonce = in.readNBytes(Sealing.NONCE);
        byte[] mac = in.readNBytes(Sealing.MAC);
        if (mac.length != Sealing.MAC || !sealing.helloMacMatches(a, p, nonce, mac)) {
          LOG.warn("ignoring a connection from {} that does not hold Spark's secret", c.getRemoteSocketAddress());
          quietlyClose(c);
          return;
        }
        byte[] reply = Sealing.nonce();
        c.getOutputStream().write(reply);
        c.getOutputStream().flush();
        key = sealing.sessionKey(nonce, reply);
      }
      if (p < 0 || p >= partitions || closed) {
        quietlyClose(c);
        return;
      }
      arrived.add(new Arrival(c, a, p, key));
    } catch (IOException e) {
      LOG.warn("ignoring a connection from {}: {}", c.getRemoteSocketAddress(), e.toString());
      quietlyClose(c);
    }
  }

  private static void quietlyClose(Socket s) {
    try {
      s.close();
    } catch (IOException e) {
      LOG.debug("closing a connection", e);
    }
  }

  @Override
  public void close() {
    closed = true;
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the barrier exchange's socket", e);
    }
    readers.shutdownNow();
    for (Arrival a; (a = arrived.poll()) != null; ) {
      quietlyClose(a.socket());
    }
  }
}
