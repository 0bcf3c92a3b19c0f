package io.treeprop.spark.train;

import io.treeprop.core.model.Workspace;
import io.treeprop.core.train.Objective;
import io.treeprop.spark.data.Block;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.TimeUnit;
import org.apache.spark.TaskContext;
import scala.collection.Iterator;
import scala.collection.Iterator$;
import scala.runtime.AbstractFunction1;

/**
 * The executor side of the barrier exchange: one long-running task per partition connects to the driver, then for
 * each order it receives the weights and computes its slice's contribution to a step exactly as {@link StepTask}
 * does, or its validation rows' sums exactly as {@link EvalTask} does, and sends it back, until the driver ends
 * the job. Holds no training state of its own: the driver keeps the weights and optimizer, so a lost task costs
 * at most the order in flight.
 *
 * <p>Its partition holds a training {@link Block} (validation uses that block's held-out rows), or a
 * {@code Block[]} of the training block followed by the same partition's validation blocks (none or several).
 */
final class BarrierTask extends AbstractFunction1<Iterator<Object>, Iterator<Object>> implements Serializable {
  private static final long serialVersionUID = 1L;
  private static final int BUFFER = 1 << 20;
  private static final int POLL_MS = 200;
  /**
   * Test hook: the first attempt of partition 0's task fails when asked to validate this epoch. Read from the
   * driver's system property.
   */
  static final String FAIL_VALIDATING_PROPERTY = "treeprop.testing.failFirstAttemptValidatingEpoch";

  private final String host;
  private final int port;
  private final long token;
  private final int attempt;
  private final String specJson;
  private final String lossJson;
  private final long seed;
  private final int stepsPerEpoch;
  private final long failAtStep;
  private final int failValidatingEpoch;

  BarrierTask(String host, int port, long token, int attempt, String specJson, String lossJson, long seed,
      int stepsPerEpoch) {
    this.host = host;
    this.port = port;
    this.token = token;
    this.attempt = attempt;
    this.specJson = specJson;
    this.lossJson = lossJson;
    this.seed = seed;
    this.stepsPerEpoch = stepsPerEpoch;
    this.failAtStep = Long.getLong(StepTask.FAIL_PROPERTY, -1L);
    this.failValidatingEpoch = Integer.getInteger(FAIL_VALIDATING_PROPERTY, -1);
  }

  @Override
  public Iterator<Object> apply(Iterator<Object> blocks) {
    Object first = blocks.next();
    Worker worker = first instanceof Block[] zipped
        ? new Worker(zipped[0], java.util.Arrays.copyOfRange(zipped, 1, zipped.length))
        : new Worker((Block) first, null);
    LocalHub hub = LocalHub.find(token);
    long steps = hub != null ? inJvm(hub, worker) : overTcp(worker);
    return Iterator$.MODULE$.single(steps);
  }

  /** Local mode: orders and results are handed over as objects. */
  private long inJvm(LocalHub hub, Worker worker) {
    LocalHub.Link link = hub.join(attempt, worker.block.partition);
    long steps = 0;
    boolean done = false;
    try {
      while (true) {
        Object o = link.orders.poll(POLL_MS, TimeUnit.MILLISECONDS);
        if (o == null) {
          // nothing yet: give up if Spark killed this task or the driver closed the run
          TaskContext ctx = TaskContext.get();
          if (ctx != null) {
            ctx.killTaskIfInterrupted();
          }
          if (LocalHub.find(token) != hub) {
            throw new IllegalStateException("the driver closed the barrier exchange after " + steps + " steps");
          }
          continue;
        }
        if (o == StepOrder.END) {
          done = true;
          return steps;
        }
        if (!(o instanceof StepOrder order)) {
          throw new IllegalStateException("the driver left the barrier exchange after " + steps + " steps");
        }
        link.results.add(worker.run(order));
        steps++;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted after " + steps + " steps", e);
    } finally {
      if (!done) {
        link.results.add(LocalHub.GONE);
      }
    }
  }

  /** Executors in their own JVMs: a socket to the driver. */
  private long overTcp(Worker worker) {
    int paramCount = worker.objective.network().layout().paramCount();
    float[] params = new float[paramCount];
    float[] state = new float[worker.objective.network().layout().stateCount()];
    Wire wire = new Wire(Math.max(paramCount, state.length));
    long steps = 0;
    try (Socket socket = new Socket()) {
      socket.setTcpNoDelay(true);
      socket.setReceiveBufferSize(BUFFER);
      socket.setSendBufferSize(BUFFER);
      socket.connect(new InetSocketAddress(host, port), 60_000);
      DataInputStream in;
      DataOutputStream out;
      Sealing sealing = Sealing.fromSpark(token);
      if (sealing == null) {
        in = new DataInputStream(new BufferedInputStream(socket.getInputStream(), BUFFER));
        out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream(), BUFFER));
        Wire.writeHello(out, token, attempt, worker.block.partition);
      } else {
        // Spark's authentication is on: prove the secret, then seal every message (Sealing)
        byte[] nonce = Sealing.nonce();
        DataOutputStream hello = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
        Wire.writeSealedHello(hello, sealing, attempt, worker.block.partition, nonce);
        byte[] reply = new DataInputStream(socket.getInputStream()).readNBytes(Sealing.NONCE);
        if (reply.length != Sealing.NONCE) {
          throw new IOException("the driver closed the barrier channel: it does not hold this application's secret");
        }
        javax.crypto.spec.SecretKeySpec key = sealing.sessionKey(nonce, reply);
        in = new DataInputStream(new BufferedInputStream(new Sealing.In(socket.getInputStream(), key,
            Sealing.TO_TASK), BUFFER));
        out = new DataOutputStream(new BufferedOutputStream(new Sealing.Out(socket.getOutputStream(), key,
            Sealing.TO_DRIVER), BUFFER));
      }
      while (true) {
        byte type = in.readByte();
        if (type == Wire.END) {
          return steps;
        }
        if (type != Wire.STEP && type != Wire.EVALUATE) {
          throw new IOException("unknown order " + type + " from the driver");
        }
        wire.writeResult(out, worker.run(wire.readOrder(type == Wire.EVALUATE, in, params, state)));
        steps++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("partition " + worker.block.partition + " lost its connection to the driver at "
          + host + ":" + port + " after " + steps + " steps", e);
    }
  }

  /** Computes this partition's contributions, keeping the epoch's shuffle and the workspaces between orders. */
  private final class Worker {
    final Block block;
    /** The validation blocks of this partition, or null: validate the training block's held-out rows. */
    final Block[] validation;
    final Objective objective;
    final Workspace workspace;
    Workspace evalWorkspace;
    int permEpoch = -1;
    int[] perm;

    Worker(Block block, Block[] validation) {
      this.block = block;
      this.validation = validation;
      this.objective = StepTask.compile(specJson, lossJson);
      this.workspace = objective.network().newWorkspace(
          StepTask.microBatch(objective.network(), block.rows, stepsPerEpoch), false);
    }

    StepAggregate run(StepOrder o) {
      if (attempt == 0 && block.partition == 0 && (o.evaluate ? o.epoch == failValidatingEpoch
          : failAtStep >= 0 && o.globalStep == failAtStep)) {
        throw new IllegalStateException("injected failure (" + StepTask.FAIL_PROPERTY + "=" + failAtStep + ", "
            + FAIL_VALIDATING_PROPERTY + "=" + failValidatingEpoch + ")");
      }
      TaskContext ctx = TaskContext.get();
      if (ctx != null) {
        ctx.killTaskIfInterrupted();
      }
      long t0 = System.nanoTime();
      StepAggregate acc = new StepAggregate();
      if (o.evaluate) {
        boolean heldOut = validation == null;
        for (Block b : heldOut ? new Block[] {block} : validation) {
          int chunk = EvalTask.chunk(objective.network(), b, heldOut);
          if (evalWorkspace == null || evalWorkspace.capacity() < chunk) {
            evalWorkspace = objective.network().newWorkspace(chunk, false);
          }
          acc.stats.merge(EvalTask.evaluate(objective, b, heldOut, o.params, o.state, evalWorkspace));
        }
      } else {
        if (o.epoch != permEpoch) {
          perm = StepTask.permutation(block, seed, o.epoch);
          permEpoch = o.epoch;
        }
        StepTask.accumulate(objective, block, o.params, o.state, seed, o.epoch, o.stepInEpoch, stepsPerEpoch,
            o.globalStep, perm, workspace, acc);
      }
      acc.maxComputeNanos = System.nanoTime() - t0;
      return acc;
    }
  }
}
