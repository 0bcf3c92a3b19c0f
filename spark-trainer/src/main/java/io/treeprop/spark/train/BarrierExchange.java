package io.treeprop.spark.train;

import io.treeprop.spark.data.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.SparkStatusTracker;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.rdd.RDD;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerStageSubmitted;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Option;
import scala.reflect.ClassTag$;

/**
 * The driver side of the barrier exchange (DESIGN.md, "The barrier exchange"). Instead of one Spark job per step,
 * one barrier job runs a {@link BarrierTask} per partition for the whole run, validations included; the tasks
 * connect back to the driver (objects through a {@link LocalHub} in local mode, a socket on a cluster), and each
 * step the driver sends them the weights and sums their contributions in partition order. Everything else, the
 * optimizer, listeners, checkpoints, stays in {@link SparkTrainer} exactly as in the {@code treeAggregate} path,
 * and the sums are the same numbers, so both paths give the same weights and metrics.
 *
 * <p>A failed task fails the barrier job; the driver still holds the weights and the order in flight is simply
 * not applied, so it starts a new job and repeats that order, up to {@code spark.task.maxFailures} failed jobs per
 * epoch. A job Spark refuses before any step (its barrier checks) throws {@link Unavailable}. Any other Spark job
 * of the application (from a listener, another thread) that waits for task slots makes the exchange end its job
 * within two poll intervals; while that job waits, orders are answered with null and the caller uses the tree
 * exchange, so both share the slots; the next order after it starts a new barrier job.
 */
final class BarrierExchange implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BarrierExchange.class);
  private static final int BUFFER = 1 << 20;
  private static final int POLL_MS = 200;
  /** How long the first barrier job waits for executors to register before the run starts with the tree exchange. */
  private static final int START_SLOTS_WAIT_MS = 60_000;
  /** Spark's job property: cancelling the job interrupts its task threads. */
  private static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";
  /**
   * Spark setting (or thread-local property) that makes local mode use TCP like a cluster does, for tests and
   * diagnosis.
   */
  static final String FORCE_TCP = "spark.treeprop.barrier.forceTcp";
  /** How often the yielder looks for jobs waiting for the slots the barrier job holds, ms. */
  private static final int YIELD_POLL_MS = 100;
  /** The running barrier jobs of every exchange in this driver: another training's job is no reason to yield. */
  private static final Set<Integer> BARRIER_JOBS = ConcurrentHashMap.newKeySet();

  private final SparkContext sc;
  private final JavaRDD<Block> blocks;
  /** The validation blocks, zipped with the training blocks into the barrier job; null when there are none. */
  private JavaRDD<Block> validation;
  /** Whether validation uses the training blocks' held-out rows. */
  private final boolean heldOutValidation;
  private final int partitions;
  private final String specJson;
  private final String lossJson;
  private final long seed;
  private final int stepsPerEpoch;
  private final int maxAttempts;
  private final String callerDescription;
  /** Null in local mode (the in-JVM hub), else where the tasks connect. */
  /** Null in local mode without forceTcp (the in-JVM hub). */
  private final TcpDoor door;
  private final String host;
  private final long token = new SecureRandom().nextLong();
  private final Wire wire;
  private final int paramCount;
  private String description = "treeprop: barrier steps";
  /** Barrier jobs started, for telling this attempt's tasks from late ones of a failed attempt. */
  private int attempt = -1;
  /** Failed jobs in {@link #failureEpoch}. */
  private int failures;
  private int failureEpoch = -1;
  /** Steps completed, to tell a job Spark refuses outright from one that failed along the way. */
  private long stepsDone;
  /** The in-JVM hub in local mode, else null (TCP). */
  private final LocalHub hub;
  private JavaFutureAction<Long> job;
  /** The running job's tasks by partition, or null when no job runs. */
  private Channel[] channels;
  /** The running barrier job's Spark job ids. */
  private List<Integer> jobIds = List.of();
  /** Whether a barrier job runs: read by the yielder without the lock. */
  private volatile boolean running;
  private volatile boolean closed;
  /** Too few live task slots were seen after the start: steps run with the tree exchange until they return. */
  private boolean shortOfSlots;
  /** The job the barrier job was last ended for, or -1: while it waits, no new barrier job starts. */
  private volatile int yieldedTo = -1;
  /** Wakes the yielder when a job or stage starts, so it need not wait for its next poll. */
  private final SparkListener watcher;
  private final Thread yielder;
  /** Nanoseconds the last step spent sending its order to the tasks. */
  long sendNanos;

  /**
   * @param validation validation blocks with as many partitions as {@code blocks} (zipped with them), evaluated
   *     by the same tasks; or null: no validation, validation on the training blocks' held-out rows, or by
   *     separate jobs
   * @param heldOutValidation validation uses the training blocks' held-out rows
   */
  BarrierExchange(SparkContext sc, JavaRDD<Block> blocks, JavaRDD<Block> validation, boolean heldOutValidation,
      String specJson, String lossJson, long seed, int stepsPerEpoch, int paramCount, String callerDescription) {
    this.sc = sc;
    this.blocks = blocks;
    this.validation = validation;
    this.heldOutValidation = heldOutValidation;
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
    if (sc.isLocal() && !forceTcp) {
      this.door = null;
      this.hub = LocalHub.open(token);
    } else {
      this.hub = null;
      this.door = new TcpDoor(conf.get("spark.driver.bindAddress", host), partitions, token, BUFFER,
          Sealing.fromSpark(token));
    }
    this.yielder = new Thread(this::yieldLoop, "treeprop-barrier-yield");
    yielder.setDaemon(true);
    yielder.start();
    this.watcher = new SparkListener() {
      @Override
      public void onJobStart(SparkListenerJobStart e) {
        LockSupport.unpark(yielder);
      }

      @Override
      public void onStageSubmitted(SparkListenerStageSubmitted e) {
        LockSupport.unpark(yielder);
      }
    };
    sc.addSparkListener(watcher);
  }

  /** The barrier job cannot run at all here (Spark refused it before any step); use the tree exchange. */
  static final class Unavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** Why the barrier exchange cannot run on this context with this many partitions, or null when it can. */
  static String unsupported(SparkContext sc, int partitions) {
    SparkConf c = sc.getConf();
    if (c.getBoolean("spark.dynamicAllocation.enabled", false)) {
      return "Spark's barrier execution mode does not support dynamic allocation (spark.dynamicAllocation.enabled)";
    }
    if ((c.getBoolean("spark.network.crypto.enabled", false) || c.getBoolean("spark.ssl.enabled", false))
        && !c.getBoolean("spark.authenticate", false)) {
      return "the barrier exchange encrypts its traffic with Spark's shared secret, and this application asks for "
          + "encryption without spark.authenticate; turn spark.authenticate on";
    }
    int cpusPerTask = Math.max(1, c.getInt("spark.task.cpus", 1));
    int slots = sc.defaultParallelism() / cpusPerTask;
    if (partitions > slots) {
      return "the barrier exchange runs all " + partitions + " partitions at once and the application has "
          + slots + " task slots (spark.default.parallelism " + sc.defaultParallelism() + " / spark.task.cpus "
          + cpusPerTask + "); use at most " + slots + " partitions";
    }
    return null;
  }

  /** The Spark job description of the next barrier job. */
  synchronized void describe(String d) {
    this.description = d;
  }

  /** Whether {@link #evaluate} can validate: the tasks hold the validation rows. */
  synchronized boolean validates() {
    return validation != null || heldOutValidation;
  }

  /**
   * Runs one step: sends the weights to every task and returns the sum of their contributions, summed in
   * partition order. Starts a barrier job when none is running, and restarts it after a failure. Returns null,
   * starting nothing, while the job the exchange last yielded to still waits for task slots: the caller runs this
   * step with the tree exchange (the same sums) and tries again at the next.
   */
  StepAggregate step(int epoch, int stepInEpoch, long globalStep, float[] params, float[] state) {
    return run(new StepOrder(false, epoch, stepInEpoch, globalStep, params, state));
  }

  /**
   * The validation sums at these weights, computed by the tasks and summed in partition order; null when the tasks
   * do not hold the validation rows (see {@link #validates}: Spark may refuse a job over both datasets) or, as in
   * {@link #step}, when another job waits for the slots.
   */
  StepAggregate evaluate(int epoch, float[] params, float[] state) {
    return run(new StepOrder(true, epoch, 0, -1, params, state));
  }

  private synchronized StepAggregate run(StepOrder order) {
    if (order.epoch != failureEpoch) {
      failureEpoch = order.epoch;
      failures = 0;
    }
    while (true) {
      try {
        if (channels == null && yieldedTo >= 0) {
          if (waits(sc.statusTracker(), yieldedTo)) {
            return null; // the job we yielded to still waits: the caller uses the tree exchange meanwhile
          }
          yieldedTo = -1;
        }
        if (channels == null && !slotsFor(order)) {
          return null; // too few live task slots: the caller uses the tree exchange meanwhile
        }
        connect();
        if (order.evaluate && !validates()) {
          return null;
        }
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
        stepsDone++;
        return total;
      } catch (IOException e) {
        recover(e, order);
      }
    }
  }

  /**
   * Whether the live executors offer a task slot per partition, which a barrier job needs (Spark would otherwise
   * re-check every 15 s, 40 times per attempt, in silence: ~40 minutes after a lost Worker). At the run's start
   * executors may still be registering: waits for them up to {@link #START_SLOTS_WAIT_MS}. Later (an executor or
   * Worker lost) it says so once and returns false at once; the caller runs the steps with the tree exchange, which
   * gives the same weights, until the slots are back.
   */
  private boolean slotsFor(StepOrder order) {
    int live = liveSlots(sc);
    if (live < partitions && stepsDone == 0 && !shortOfSlots) {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(START_SLOTS_WAIT_MS);
      while (live < partitions && System.nanoTime() < deadline && !closed) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(POLL_MS));
        live = liveSlots(sc);
      }
    }
    if (live >= partitions) {
      if (shortOfSlots) {
        LOG.info("{} task slots are live again: back to the barrier exchange at epoch {}", live, order.epoch);
        shortOfSlots = false;
      }
      return true;
    }
    if (!shortOfSlots) {
      LOG.warn("only {} live task slots for the barrier exchange's {} tasks (an executor or Worker is lost, or not "
          + "started): continuing with the tree exchange (same weights) and back to the barrier exchange when the "
          + "slots return", live, partitions);
      shortOfSlots = true;
    }
    return false;
  }

  /** Task slots the application's live executors offer now: the number Spark's own barrier check uses. */
  static int liveSlots(SparkContext sc) {
    return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
  }

  /**
   * While a barrier job runs, looks every {@link #YIELD_POLL_MS} (and whenever a job or stage starts) for a job
   * of the application with tasks waiting for slots, and ends the barrier job so it gets them. Reads Spark's
   * status store, not only listener events, so a missed event costs at most one poll interval.
   */
  private void yieldLoop() {
    int candidate = -1;
    long since = 0;
    while (!closed) {
      LockSupport.parkNanos(YIELD_POLL_MS * 1_000_000L);
      if (!running || closed) {
        candidate = -1;
        continue;
      }
      try {
        // a job only just submitted may be about to get free slots: yield when it still waits a poll later
        int waiting = waitingJob();
        long now = System.nanoTime();
        if (waiting < 0 || waiting != candidate) {
          candidate = waiting;
          since = now;
        } else if (now - since >= YIELD_POLL_MS * 1_000_000L) {
          synchronized (this) {
            if (channels != null && waits(sc.statusTracker(), waiting)) {
              LOG.info("Spark job {} waits for task slots: ending the barrier job so it gets them", waiting);
              yieldedTo = waiting;
              end();
            }
          }
          candidate = -1;
        }
      } catch (RuntimeException e) {
        LOG.warn("the barrier exchange could not check for waiting jobs: {}", e.toString());
      }
    }
  }

  /** A job that is not a barrier job of this driver and has tasks waiting for slots, or -1. */
  private int waitingJob() {
    SparkStatusTracker st = sc.statusTracker();
    for (int id : st.getActiveJobIds()) {
      if (!BARRIER_JOBS.contains(id) && waits(st, id)) {
        return id;
      }
    }
    return -1;
  }

  /**
   * Whether job {@code id} has a submitted stage (skipped and future stages have no submission time) with tasks
   * neither running nor done. Spark's status store lags the scheduler by up to ~100 ms (its live-update period),
   * so a job that just finished may still look waiting: the yielder acts on a job only when it still waits a poll
   * later.
   */
  private static boolean waits(SparkStatusTracker st, int id) {
    Option<SparkJobInfo> job = st.getJobInfo(id);
    if (job.isEmpty() || job.get().status() != org.apache.spark.JobExecutionStatus.RUNNING) {
      return false;
    }
    for (int stage : job.get().stageIds()) {
      Option<SparkStageInfo> s = st.getStageInfo(stage);
      if (s.isDefined() && s.get().submissionTime() > 0
          && s.get().numTasks() > s.get().numActiveTasks() + s.get().numCompletedTasks()) {
        return true;
      }
    }
    return false;
  }

  /** Ends the current barrier job, if any: the tasks finish and free their slots. */
  synchronized void end() {
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
      job.cancel(true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while ending the barrier job", e);
    } finally {
      closeChannels();
      forgetJob();
    }
  }

  private void forgetJob() {
    running = false;
    BARRIER_JOBS.removeAll(jobIds);
    jobIds = List.of();
    job = null;
  }

  @Override
  public synchronized void close() {
    closed = true;
    LockSupport.unpark(yielder);
    sc.removeSparkListener(watcher);
    closeChannels();
    if (job != null && !job.isDone()) {
      job.cancel(true);
    }
    forgetJob();
    if (hub != null) {
      hub.close();
    }
    if (door != null) {
      door.close();
    }
  }

  private void connect() throws IOException {
    if (channels != null) {
      return;
    }
    attempt++;
    sc.setJobDescription(description + (failures > 0 ? " (attempt " + (failures + 1) + ")" : ""));
    String interrupt = sc.getLocalProperty(INTERRUPT_ON_CANCEL);
    // cancelling a failed attempt's job interrupts its task threads, so none lingers holding a slot
    sc.setLocalProperty(INTERRUPT_ON_CANCEL, "true");
    try {
      RDD<Object> rdd = source().barrier().mapPartitions(new BarrierTask(host,
          door == null ? -1 : door.port(), token, attempt, specJson, lossJson, seed, stepsPerEpoch),
          false, ClassTag$.MODULE$.apply(Object.class));
      job = JavaRDD.fromRDD(rdd, ClassTag$.MODULE$.apply(Object.class)).countAsync();
      jobIds = List.copyOf(job.jobIds());
      BARRIER_JOBS.addAll(jobIds);
      running = true;
    } finally {
      sc.setJobDescription(callerDescription);
      sc.setLocalProperty(INTERRUPT_ON_CANCEL, interrupt);
    }
    Channel[] cs = new Channel[partitions];
    int connected = 0;
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

  /** Each partition's training block, or its training block followed by its validation blocks. */
  @SuppressWarnings("unchecked")
  private RDD<Object> source() {
    if (validation == null) {
      return (RDD<Object>) (RDD<?>) blocks.rdd();
    }
    return (RDD<Object>) (RDD<?>) blocks.zipPartitions(validation, (a, b) -> {
      List<Block> l = new ArrayList<>();
      l.add(a.next());
      b.forEachRemaining(l::add);
      return List.of((Object) l.toArray(new Block[0])).iterator();
    }).rdd();
  }

  /** The next task of this attempt to join the in-JVM hub, or null after a poll interval. */
  private Channel local() throws IOException {
    try {
      LocalHub.Link l = hub.next(POLL_MS);
      if (l != null && l.attempt != attempt) {
        l.orders.add(LocalHub.GONE); // a late task of a failed attempt: let it finish
        return null;
      }
      return l == null ? null : new LocalChannel(l);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the barrier tasks", e);
    }
  }

  /** The next task of this attempt to connect over TCP and say hello, or null after a poll interval. */
  private Channel tcp() throws IOException {
    try {
      TcpDoor.Arrival a = door.next(attempt, POLL_MS);
      return a == null ? null : new SocketChannel(a.socket(), a.partition(), a.key());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the barrier tasks", e);
    }
  }

  /** After a broken connection: wait for the job to fail, then allow a new attempt or give up. */
  private void recover(IOException e, StepOrder order) {
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
      forgetJob();
    }
    if (stepsDone == 0 && cause.getClass().getName().startsWith("org.apache.spark.scheduler.BarrierJob")) {
      // Spark's own checks (RDD chain, slots, dynamic allocation): every attempt would be refused the same way
      if (validation != null) {
        // perhaps only the validation data's lineage: validate with separate jobs instead
        LOG.info("Spark refused a barrier job over the training and validation data ({}); trying the training "
            + "data alone", cause.getMessage());
        validation = null;
        return;
      }
      throw new Unavailable("Spark refused the barrier job: " + cause.getMessage(), cause);
    }
    failures++;
    String at = order.evaluate ? "validating epoch " + order.epoch : "global step " + (order.globalStep + 1);
    if (failures >= maxAttempts) {
      throw new IllegalStateException("the barrier training job failed " + failures + " times in epoch "
          + order.epoch + " (spark.task.maxFailures = " + maxAttempts + "), last " + at + ": " + cause, cause);
    }
    LOG.warn("the barrier training job failed {} ({}); restarting it there", at, cause.toString());
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

    /** @param key seals every message (Spark's authentication on); null for a plain channel */
    SocketChannel(Socket socket, int partition, javax.crypto.spec.SecretKeySpec key) throws IOException {
      this.socket = socket;
      this.partition = partition;
      // reads wake up every poll interval to see whether the job died (a lost host resets no connection)
      socket.setSoTimeout(POLL_MS);
      socket.setKeepAlive(true);
      InputStream raw = new Patient(socket.getInputStream(), partition);
      OutputStream rawOut = socket.getOutputStream();
      in = new DataInputStream(new BufferedInputStream(key == null ? raw
          : new Sealing.In(raw, key, Sealing.TO_DRIVER), BUFFER));
      out = new DataOutputStream(new BufferedOutputStream(key == null ? rawOut
          : new Sealing.Out(rawOut, key, Sealing.TO_TASK), BUFFER));
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

  /**
   * A socket stream whose read timeouts never surface half-way through a message: each timeout only checks that
   * the barrier job is still running, then reads on.
   */
  private final class Patient extends FilterInputStream {
    private final int partition;

    Patient(InputStream in, int partition) {
      super(in);
      this.partition = partition;
    }

    @Override
    public int read() throws IOException {
      while (true) {
        try {
          return super.read();
        } catch (SocketTimeoutException e) {
          check();
        }
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      while (true) {
        try {
          return super.read(b, off, len);
        } catch (SocketTimeoutException e) {
          check();
        }
      }
    }

    private void check() throws IOException {
      if (job == null || job.isDone()) {
        throw new IOException("the barrier job ended while partition " + partition + "'s result was awaited");
      }
    }
  }
}
