package io.treeprop.spark.train;

import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * The barrier exchange inside one JVM (Spark's local mode, where the tasks run in the driver's JVM): the driver
 * and its tasks hand each other the weight and gradient arrays themselves through queues, found by the run's
 * token, instead of copying them through a socket. Same orders, same results, same sums as over TCP.
 */
final class LocalHub {
  private static final Map<Long, LocalHub> HUBS = new ConcurrentHashMap<>();
  /** Tells a waiting side that the other one is gone. */
  static final Object GONE = new Object();

  private final long token;
  private final BlockingQueue<Link> arrivals = new LinkedBlockingQueue<>();

  private LocalHub(long token) {
    this.token = token;
  }

  static LocalHub open(long token) {
    LocalHub h = new LocalHub(token);
    HUBS.put(token, h);
    return h;
  }

  /** The hub of this run when the caller runs in the driver's JVM, else null. */
  static LocalHub find(long token) {
    return HUBS.get(token);
  }

  void close() {
    HUBS.remove(token, this);
  }

  /** A task arrives: the driver picks its link up in {@link #next}. */
  Link join(int attempt, int partition) {
    Link l = new Link(attempt, partition);
    arrivals.add(l);
    return l;
  }

  /** The next task to arrive within {@code ms}, or null. */
  Link next(long ms) throws InterruptedException {
    return arrivals.poll(ms, TimeUnit.MILLISECONDS);
  }

  /** One task's two directions: orders ({@link StepOrder}, {@link StepOrder#END} or GONE) and results. */
  static final class Link {
    final int attempt;
    final int partition;
    final BlockingQueue<Object> orders = new LinkedBlockingQueue<>();
    final BlockingQueue<Object> results = new LinkedBlockingQueue<>();

    Link(int attempt, int partition) {
      this.attempt = attempt;
      this.partition = partition;
    }
  }
}
