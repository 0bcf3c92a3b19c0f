package io.treeprop.spark.train;

import io.treeprop.spark.data.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.reflect.ClassTag$;

/**
 * The driver side of the barrier exchange (DESIGN.md, "The barrier exchange"). Instead of one Spark job per step,
 * one barrier job runs a {@link BarrierTask} per partition for a whole segment of steps (an epoch, up to its
 * validation); the tasks connect back to a socket the driver opens, and each step the driver sends them the
 * weights and sums their contributions in partition order. Everything else, the optimizer, listeners,
 * checkpoints, stays in {@link SparkTrainer} exactly as in the {@code treeAggregate} path, and the sums are the
 * same numbers, so both paths give the same weights.
 *
 * <p>A failed task fails the barrier job; the driver still holds the weights and the step in flight is simply
 * not applied, so it starts a new job and repeats that step, up to {@code maxAttempts} jobs per segment.
 */
final class BarrierExchange implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierExchange.class);
  private static final int BUFFER = 1 << 20;
  private static final int HELLO_TIMEOUT_MS = 60_000;
  private static final int POLL_MS = 200;
  /**
   * Spark setting (or thread-local property) that makes local mode use TCP like a cluster does, for tests and
   * diagnosis.
   */
  static final String FORCE_TCP = "spark.treeprop.barrier.forceTcp";

  private final SparkContext sc;
  private final JavaRDD<Block> blocks;
  private final int partitions;
  private final String specJson;
  private final String lossJson;
  private final long seed;
  private final int stepsPerEpoch;
  private final int maxAttempts;
  private final String callerDescription;
  private final ServerSocket server;
  private final String host;
  private final long token = new SecureRandom().nextLong();
  private final Wire wire;
  private final int paramCount;
  private String description = "treeprop: barrier steps";
  private int attempt = -1;
  private int failures;
  /** The in-JVM hub in local mode, else null (TCP). */
  private final LocalHub hub;
  private JavaFutureAction<Long> job;
  /** The running segment's tasks by partition, or null between segments. */
  private Channel[] channels;
  /** Nanoseconds the last step spent sending its order and receiving the results. */
  long sendNanos;
  long receiveNanos;

  BarrierExchange(SparkContext sc, JavaRDD<Block> blocks, String specJson, String lossJson, long seed,
      int stepsPerEpoch, int paramCount, String callerDescription) {
    this.sc = sc;
    this.blocks = blocks;
    this.partitions = blocks.getNumPartitions();
    this.specJson = specJson;
    this.lossJson = lossJson;
    this.seed = seed;
    this.stepsPerEpoch = stepsPerEpoch;
    this.maxAttempts = Math.max(1, sc.getConf().getInt("spark.task.maxFailures", 4));
    this.callerDescription = callerDescription;
    this.wire = new Wire(paramCount);
    this.paramCount = paramCount;
    SparkConf conf = sc.getConf();
    this.host = conf.get("spark.driver.host");
    boolean forceTcp = conf.getBoolean(FORCE_TCP, false) || "true".equals(sc.getLocalProperty(FORCE_TCP));
    this.hub = sc.isLocal() && !forceTcp ? LocalHub.open(token) : null;
    String bind = conf.get("spark.driver.bindAddress", host);
    try {
      this.server = new ServerSocket(0, Math.max(50, 2 * partitions), InetAddress.getByName(bind));
      this.server.setReceiveBufferSize(BUFFER);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the barrier exchange's socket on " + bind
          + " (spark.driver.bindAddress / spark.driver.host); use exchange=tree", e);
    }
  }

  /** Why the barrier exchange cannot run on this context with this many partitions, or null when it can. */
  static String unsupported(SparkContext sc, int partitions) {
    SparkConf c = sc.getConf();
    if (c.getBoolean("spark.dynamicAllocation.enabled", false)) {
      return "Spark's barrier execution mode does not support dynamic allocation (spark.dynamicAllocation.enabled)";
    }
    if (c.getBoolean("spark.network.crypto.enabled", false) || c.getBoolean("spark.ssl.enabled", false)) {
      return "the barrier exchange does not encrypt its traffic and this application asks for encryption";
    }
    int slots = sc.defaultParallelism();
    if (partitions > slots) {
      return "the barrier exchange runs all " + partitions + " partitions at once and the application has "
          + slots + " task slots (spark.default.parallelism); use at most " + slots + " partitions";
    }
    return null;
  }

  /** The Spark job description of the next barrier job. */
  void describe(String d) {
    this.description = d;
  }

  /**
   * Runs one step: sends the weights to every task and returns the sum of their contributions, summed in
   * partition order. Starts the segment's barrier job when none is running, and restarts it after a failure.
   */
  StepAggregate step(int epoch, int stepInEpoch, long globalStep, float[] params, float[] state) {
    StepOrder order = new StepOrder(epoch, stepInEpoch, globalStep, params, state);
    while (true) {
      try {
        connect();
        long t0 = System.nanoTime();
        for (Channel c : channels) {
          c.send(order);
        }
        long t1 = System.nanoTime();
        StepAggregate total = new StepAggregate();
        for (Channel c : channels) {
          total.merge(c.receive());
        }
        sendNanos = t1 - t0;
        receiveNanos = System.nanoTime() - t1;
        return total;
      } catch (IOException e) {
        recover(e, globalStep);
      }
    }
  }

  /** Ends the current barrier job, if any: the tasks finish and free their slots (e.g. for validation). */
  void endSegment() {
    if (channels == null) {
      return;
    }
    try {
      for (Channel c : channels) {
        c.send(StepOrder.END);
      }
      job.get();
    } catch (IOException | ExecutionException e) {
      LOG.warn("the barrier job failed after its last step (nothing is lost): {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while ending the barrier job", e);
    } finally {
      closeChannels();
      job = null;
    }
  }

  @Override
  public void close() {
    closeChannels();
    if (job != null && !job.isDone()) {
      job.cancel(true);
    }
    job = null;
    if (hub != null) {
      hub.close();
    }
    try {
      server.close();
    } catch (IOException e) {
      LOG.debug("closing the barrier exchange's socket", e);
    }
  }

  private void connect() throws IOException {
    if (channels != null) {
      return;
    }
    attempt++;
    sc.setJobDescription(description + (attempt > 0 ? " (attempt " + (attempt + 1) + ")" : ""));
    try {
      RDD<Object> rdd = blocks.rdd().barrier().mapPartitions(new BarrierTask(host, server.getLocalPort(), token,
          attempt, specJson, lossJson, seed, stepsPerEpoch), false, ClassTag$.MODULE$.apply(Object.class));
      job = JavaRDD.fromRDD(rdd, ClassTag$.MODULE$.apply(Object.class)).countAsync();
    } finally {
      sc.setJobDescription(callerDescription);
    }
    Channel[] cs = new Channel[partitions];
    int connected = 0;
    server.setSoTimeout(POLL_MS);
    try {
      while (connected < partitions) {
        Channel c = hub != null ? local() : tcp();
        if (c == null) {
          if (job.isDone()) {
            throw new IOException("the barrier job ended before all its tasks connected");
          }
          continue;
        }
        if (cs[c.partition()] != null) {
          c.close();
          continue;
        }
        cs[c.partition()] = c;
        connected++;
      }
    } catch (IOException e) {
      for (Channel c : cs) {
        if (c != null) {
          c.close();
        }
      }
      throw e;
    }
    channels = cs;
  }

  /** The next task of this attempt to join the in-JVM hub, or null after a poll interval. */
  private Channel local() throws IOException {
    try {
      LocalHub.Link l = hub.next(POLL_MS);
      return l == null || l.attempt != attempt ? null : new LocalChannel(l);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the barrier tasks", e);
    }
  }

  /** The next task of this attempt to connect over TCP, or null after a poll interval. */
  private Channel tcp() throws IOException {
    Socket c;
    try {
      c = server.accept();
    } catch (SocketTimeoutException e) {
      return null;
    }
    int p = hello(c);
    if (p < 0) {
      c.close();
      return null;
    }
    return new SocketChannel(c, p);
  }

  /** Reads a task's hello; returns its partition, or -1 for a stranger or a task of an older attempt. */
  private int hello(Socket c) throws IOException {
    c.setTcpNoDelay(true);
    c.setSendBufferSize(BUFFER);
    c.setSoTimeout(HELLO_TIMEOUT_MS);
    DataInputStream in = new DataInputStream(c.getInputStream());
    try {
      if (in.readInt() != Wire.MAGIC || in.readInt() != Wire.VERSION || in.readLong() != token) {
        LOG.warn("ignoring a connection from {} that is not one of this run's tasks", c.getRemoteSocketAddress());
        return -1;
      }
      int a = in.readInt();
      int p = in.readInt();
      return a == attempt && p >= 0 && p < partitions ? p : -1;
    } catch (IOException e) {
      LOG.warn("ignoring a connection from {}: {}", c.getRemoteSocketAddress(), e.toString());
      return -1;
    }
  }

  /** After a broken connection: wait for the job to fail, then allow a new attempt or give up. */
  private void recover(IOException e, long globalStep) {
    closeChannels();
    Throwable cause = e;
    if (job != null) {
      try {
        job.get(60, TimeUnit.SECONDS);
      } catch (ExecutionException ex) {
        cause = ex.getCause() != null ? ex.getCause() : ex;
      } catch (TimeoutException ex) {
        job.cancel(true);
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the barrier job failed", ex);
      }
      job = null;
    }
    failures++;
    if (failures >= maxAttempts) {
      throw new IllegalStateException("the barrier training job failed " + failures + " times (spark.task.maxFailures"
          + " = " + maxAttempts + "), last at global step " + (globalStep + 1) + ": " + cause, cause);
    }
    LOG.warn("the barrier training job failed at global step {} ({}); restarting it from that step",
        globalStep + 1, cause.toString());
  }

  private void closeChannels() {
    if (channels == null) {
      return;
    }
    for (Channel c : channels) {
      c.close();
    }
    channels = null;
  }

  /** The driver's end of one task's connection. */
  private interface Channel {
    int partition();

    void send(StepOrder o) throws IOException;

    StepAggregate receive() throws IOException;

    void close();
  }

  private final class LocalChannel implements Channel {
    private final LocalHub.Link link;

    LocalChannel(LocalHub.Link link) {
      this.link = link;
    }

    @Override
    public int partition() {
      return link.partition;
    }

    @Override
    public void send(StepOrder o) {
      link.orders.add(o);
    }

    @Override
    public StepAggregate receive() throws IOException {
      try {
        while (true) {
          Object r = link.results.poll(POLL_MS, TimeUnit.MILLISECONDS);
          if (r instanceof StepAggregate a) {
            return a;
          }
          if (r == LocalHub.GONE) {
            throw new IOException("the task of partition " + link.partition + " failed");
          }
          if (r == null && job.isDone()) {
            throw new IOException("the barrier job ended while partition " + link.partition + " was computing");
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while waiting for partition " + link.partition, e);
      }
    }

    @Override
    public void close() {
      link.orders.add(LocalHub.GONE);
    }
  }

  private final class SocketChannel implements Channel {
    private final Socket socket;
    private final int partition;
    private final DataInputStream in;
    private final DataOutputStream out;

    SocketChannel(Socket socket, int partition) throws IOException {
      this.socket = socket;
      this.partition = partition;
      socket.setSoTimeout(0);
      in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
      out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
    }

    @Override
    public int partition() {
      return partition;
    }

    @Override
    public void send(StepOrder o) throws IOException {
      out.write(o.encoded());
      out.flush();
    }

    @Override
    public StepAggregate receive() throws IOException {
      return wire.readResult(in, paramCount);
    }

    @Override
    public void close() {
      try {
        socket.close();
      } catch (IOException e) {
        LOG.debug("closing the connection of partition {}", partition, e);
      }
    }
  }
}
