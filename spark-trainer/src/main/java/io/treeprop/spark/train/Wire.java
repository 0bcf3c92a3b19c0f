package io.treeprop.spark.train;

import io.treeprop.core.train.BatchStats;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The barrier exchange's messages (DESIGN.md, "The barrier exchange"): a task's hello, the driver's orders (a
 * step or a validation with the weights, or the end of the job) and a task's result. Float vectors travel as raw
 * little-endian bytes; everything is exact, so the driver sums the same numbers {@code treeAggregate} would.
 */
final class Wire {
  static final int MAGIC = 0x54505258; // "TPRX"
  static final int VERSION = 2;
  static final byte STEP = 1;
  static final byte END = 2;
  static final byte EVALUATE = 3;

  private final ByteBuffer scratch;

  /** @param floats the longest vector this side reads or writes */
  Wire(int floats) {
    scratch = ByteBuffer.allocate(Math.max(2, floats) * 4).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** A task introduces itself; the token proves it belongs to this run. */
  static void writeHello(DataOutputStream out, long token, int attempt, int partition) throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(token);
    out.writeInt(attempt);
    out.writeInt(partition);
    out.flush();
  }

  /**
   * With {@link Sealing}: the token stays off the wire (0 in its place); a nonce and a MAC under the run key prove
   * the task holds Spark's secret.
   */
  static void writeSealedHello(DataOutputStream out, Sealing sealing, int attempt, int partition, byte[] nonce)
      throws IOException {
    out.writeInt(MAGIC);
    out.writeInt(VERSION);
    out.writeLong(0L);
    out.writeInt(attempt);
    out.writeInt(partition);
    out.write(nonce);
    out.write(sealing.helloMac(attempt, partition, nonce));
    out.flush();
  }

  /** The bytes of a step or validation order, written once and sent to every task. */
  static byte[] stepOrder(StepOrder o) {
    ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(1 + 4 + 4 + 8 + 4 + 4 + 4L * (o.params.length
        + o.state.length))).order(ByteOrder.LITTLE_ENDIAN);
    b.put(o.evaluate ? EVALUATE : STEP).putInt(o.epoch).putInt(o.stepInEpoch).putLong(o.globalStep);
    b.putInt(o.params.length).putInt(o.state.length);
    b.asFloatBuffer().put(o.params).put(o.state);
    return b.array();
  }

  /**
   * Reads a step or validation order's fields after its type byte, the weights into {@code params} and
   * {@code state}.
   */
  StepOrder readOrder(boolean evaluate, DataInputStream in, float[] params, float[] state) throws IOException {
    int epoch = Integer.reverseBytes(in.readInt());
    int stepInEpoch = Integer.reverseBytes(in.readInt());
    long globalStep = Long.reverseBytes(in.readLong());
    int p = Integer.reverseBytes(in.readInt());
    int s = Integer.reverseBytes(in.readInt());
    if (p != params.length || s != state.length) {
      throw new IOException("step order with " + p + " parameters and " + s + " state values, expected "
          + params.length + " and " + state.length);
    }
    readFloats(in, params);
    readFloats(in, state);
    return new StepOrder(evaluate, epoch, stepInEpoch, globalStep, params, state);
  }

  /**
   * A task's contribution to one step (one partition's float gradient, its state sums and metric sums) or to a
   * validation (metric sums only).
   */
  void writeResult(DataOutputStream out, StepAggregate a) throws IOException {
    BatchStats s = a.stats;
    out.writeDouble(s.lossSum);
    out.writeDouble(s.weightSum);
    out.writeLong(s.rows);
    out.writeLong(s.correct);
    out.writeLong(s.decisions);
    out.writeDouble(s.squaredError);
    out.writeDouble(s.absoluteError);
    out.writeLong(s.elements);
    out.writeLong(a.maxComputeNanos);
    if (a.grad != null || a.partial2 != null) {
      throw new IllegalStateException("a task result holds one partition's gradient, not a sum");
    }
    out.writeBoolean(a.partial != null);
    if (a.partial != null) {
      scratch.clear();
      scratch.asFloatBuffer().put(a.partial);
      out.write(scratch.array(), 0, a.partial.length * 4);
    }
    out.writeInt(a.stateSum == null ? 0 : a.stateSum.length);
    if (a.stateSum != null) {
      for (double v : a.stateSum) {
        out.writeDouble(v);
      }
    }
    out.writeDouble(a.stateRows);
    out.flush();
  }

  /** Reads a task's result for a network of {@code paramCount} parameters. */
  StepAggregate readResult(DataInputStream in, int paramCount) throws IOException {
    StepAggregate a = new StepAggregate();
    BatchStats s = a.stats;
    s.lossSum = in.readDouble();
    s.weightSum = in.readDouble();
    s.rows = in.readLong();
    s.correct = in.readLong();
    s.decisions = in.readLong();
    s.squaredError = in.readDouble();
    s.absoluteError = in.readDouble();
    s.elements = in.readLong();
    a.maxComputeNanos = in.readLong();
    if (in.readBoolean()) {
      float[] g = new float[paramCount];
      readFloats(in, g);
      a.addGradient(g);
    }
    int n = in.readInt();
    if (n > 0) {
      a.stateSum = new double[n];
      for (int i = 0; i < n; i++) {
        a.stateSum[i] = in.readDouble();
      }
    }
    a.stateRows = in.readDouble();
    return a;
  }

  private void readFloats(DataInputStream in, float[] dst) throws IOException {
    int bytes = dst.length * 4;
    in.readFully(scratch.array(), 0, bytes);
    scratch.clear().limit(bytes);
    scratch.asFloatBuffer().get(dst);
  }
}
