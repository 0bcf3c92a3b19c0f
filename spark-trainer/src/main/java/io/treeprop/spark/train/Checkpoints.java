package io.treeprop.spark.train;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.EpochMetrics;
import io.treeprop.core.model.Json;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.ModelFiles;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Lbfgs;
import io.treeprop.core.optim.OptimizerState;
import io.treeprop.core.train.BatchStats;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checkpoints on any Hadoop file system: {@code dir/step-<n>/} holds {@code model.json} and {@code params.bin}
 * (a loadable model), {@code optimizer.bin} (step counter and moments), {@code best.bin} (best weights so far,
 * when early stopping restores them) and {@code run.json} (position, metric history, early-stopping state,
 * config fingerprint). Each is written under {@code dir/_tmp-step-<n>/} and renamed into place, so the latest
 * complete checkpoint is always whole; older ones beyond {@code keepLast} are deleted after that.
 *
 * <pre>
 * optimizer.bin, little-endian: "TPOS", int32 version 1, int32 slot count, int32 slot size, int64 step,
 *                               int32 CRC32 of the payload, then float32[count × size]
 * </pre>
 * The slots are the optimizer's moments (at most 2), or L-BFGS's correction pairs {@code s₁, y₁, s₂, y₂, …}
 * oldest first (at most {@code 2 · Lbfgs.MAX_HISTORY}); the format is unchanged, only the bound on the count widened.
 */
final class Checkpoints {
  private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
  static final String PREFIX = "step-";
  static final String TMP = "_tmp-";
  static final String RUN_JSON = "run.json";
  static final String OPTIMIZER_BIN = "optimizer.bin";
  static final String BEST_BIN = "best.bin";
  private static final byte[] OPT_MAGIC = {'T', 'P', 'O', 'S'};
  private static final int OPT_VERSION = 1;
  private static final int OPT_HEADER = 28;

  /** run.json. */
  record Run(String format, int version, String fingerprint, int epoch, int stepInEpoch, long step,
      BatchStats epochStats, double epochSeconds, List<EpochMetrics> history, Double trackerBest,
      int trackerBestEpoch, int trackerWaited, boolean hasBest, double seconds) {}

  private final CheckpointConfig config;
  private final Path dir;
  private final FileSystem fs;

  Checkpoints(CheckpointConfig config, Configuration hadoop) throws IOException {
    this.config = config;
    this.dir = new Path(config.dir());
    this.fs = dir.getFileSystem(hadoop);
  }

  /** The latest complete checkpoint's path, or null. */
  Path latest() throws IOException {
    if (!fs.exists(dir)) {
      return null;
    }
    List<Path> all = complete();
    return all.isEmpty() ? null : all.get(all.size() - 1);
  }

  private List<Path> complete() throws IOException {
    List<Path> out = new ArrayList<>();
    for (FileStatus s : fs.listStatus(dir)) {
      String n = s.getPath().getName();
      if (s.isDirectory() && n.startsWith(PREFIX) && n.substring(PREFIX.length()).matches("\\d+")) {
        out.add(s.getPath());
      }
    }
    out.sort((a, b) -> Long.compare(step(a), step(b)));
    return out;
  }

  private static long step(Path p) {
    return Long.parseLong(p.getName().substring(PREFIX.length()));
  }

  /** Writes a checkpoint of {@code r} atomically and prunes old ones; returns its path. */
  Path write(RunState r, NetworkSpec spec, Loss loss, String fingerprint) throws IOException {
    long step = r.optimizer.step();
    String name = String.format("%s%09d", PREFIX, step);
    Path tmp = new Path(dir, TMP + name);
    Path target = new Path(dir, name);
    fs.mkdirs(dir);
    if (fs.exists(tmp)) {
      fs.delete(tmp, true);
    }
    fs.mkdirs(tmp);
    Model m = new Model(spec, r.params, r.state, loss, List.of(), null, java.util.Map.of());
    try (FSDataOutputStream o = fs.create(new Path(tmp, ModelFiles.MODEL_JSON))) {
      ModelFiles.writeJson(m, o);
      sync(o);
    }
    try (FSDataOutputStream o = fs.create(new Path(tmp, ModelFiles.PARAMS_BIN))) {
      ModelFiles.writeParams(r.params, r.state, o);
      sync(o);
    }
    try (FSDataOutputStream o = fs.create(new Path(tmp, OPTIMIZER_BIN))) {
      writeOptimizer(r.optimizer, o);
      sync(o);
    }
    if (r.bestParams != null) {
      try (FSDataOutputStream o = fs.create(new Path(tmp, BEST_BIN))) {
        ModelFiles.writeParams(r.bestParams, r.bestState, o);
        sync(o);
      }
    }
    Run run = new Run("treeprop-checkpoint", 1, fingerprint, r.epoch, r.stepInEpoch, step, r.epochStats,
        r.epochSeconds, r.history, r.trackerBest, r.trackerBestEpoch, r.trackerWaited, r.bestParams != null,
        r.seconds);
    try (FSDataOutputStream o = fs.create(new Path(tmp, RUN_JSON))) {
      o.write(Json.write(run).getBytes(StandardCharsets.UTF_8));
      sync(o);
    }
    if (fs.exists(target)) {
      fs.delete(target, true);
    }
    if (!fs.rename(tmp, target)) {
      throw new IOException("cannot rename checkpoint " + tmp + " to " + target);
    }
    List<Path> all = complete();
    for (int i = 0; i < all.size() - config.keepLast(); i++) {
      fs.delete(all.get(i), true);
    }
    return target;
  }

  /**
   * Flushes to stable storage before the rename makes the checkpoint the latest (HDFS: to the datanodes' disks);
   * a stream that cannot sync (a checksummed local file) is flushed as far as it can.
   */
  private static void sync(FSDataOutputStream o) throws IOException {
    try {
      o.hsync();
    } catch (UnsupportedOperationException e) {
      o.flush();
    }
  }

  /**
   * The newest checkpoint that reads back whole, as a run state, or null when there is none. A damaged one (a
   * truncated or corrupted file, e.g. from a crash on a file system that lost unsynced data) is skipped with a
   * warning naming it and why; one written by another configuration is an error, not skipped.
   */
  RunState readLatestIntact(String fingerprint, int paramCount, int stateCount) throws IOException {
    if (!fs.exists(dir)) {
      return null;
    }
    List<Path> all = complete();
    for (int i = all.size() - 1; i >= 0; i--) {
      Path cp = all.get(i);
      try {
        RunState r = read(cp, fingerprint, paramCount, stateCount);
        LOG.info("resuming from checkpoint {}", cp);
        return r;
      } catch (ForeignCheckpointException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        LOG.warn("skipping damaged checkpoint {}: {}{}", cp, e.getMessage(),
            i > 0 ? "; trying the one before it" : "; no older checkpoint, starting afresh");
      }
    }
    return null;
  }

  /** A checkpoint of another configuration: resuming from it, or from anything older, would be wrong. */
  static final class ForeignCheckpointException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    ForeignCheckpointException(String message) {
      super(message);
    }
  }

  /**
   * Checks that {@code cp} was written by a run with {@code fingerprint}, reading only its run.json; one whose
   * run.json does not read is left to {@link #readLatestIntact}.
   *
   * @throws IllegalArgumentException naming the checkpoint and how to start over
   */
  void requireFingerprint(Path cp, String fingerprint) throws IOException {
    Run run;
    try (InputStream in = fs.open(new Path(cp, RUN_JSON))) {
      run = Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), Run.class, cp + "/" + RUN_JSON);
    } catch (IOException | RuntimeException e) {
      return; // a damaged checkpoint: the resume skips it (readLatestIntact) and checks the one it uses
    }
    requireFingerprint(cp, run, fingerprint);
  }

  private void requireFingerprint(Path cp, Run run, String fingerprint) {
    if (!fingerprint.equals(run.fingerprint())) {
      throw new ForeignCheckpointException("checkpoint " + cp + " was written by a run with another network, loss, "
          + "batch size, seed, optimizer, validation or partitioning (fingerprint " + run.fingerprint()
          + ", this run " + fingerprint + "); to start over, delete " + dir + " or use another checkpoint directory; or "
          + "turn resume off (a job's training.checkpoints.resume = false)");
    }
  }

  /**
   * Reads a checkpoint back into a run state.
   *
   * @throws IllegalArgumentException when it belongs to another configuration or a file is damaged
   */
  RunState read(Path cp, String fingerprint, int paramCount, int stateCount) throws IOException {
    Run run;
    try (InputStream in = fs.open(new Path(cp, RUN_JSON))) {
      run = Json.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), Run.class, cp + "/" + RUN_JSON);
    }
    requireFingerprint(cp, run, fingerprint);
    RunState r = new RunState();
    float[][] pv;
    try (InputStream in = fs.open(new Path(cp, ModelFiles.PARAMS_BIN))) {
      pv = ModelFiles.readParams(in, paramCount, stateCount, cp + "/" + ModelFiles.PARAMS_BIN);
    }
    r.params = pv[0];
    r.state = pv[1];
    try (InputStream in = fs.open(new Path(cp, OPTIMIZER_BIN))) {
      r.optimizer = readOptimizer(in, paramCount, cp + "/" + OPTIMIZER_BIN);
    }
    if (r.optimizer.step() != run.step()) {
      throw new IllegalArgumentException(cp + ": optimizer.bin is at step " + r.optimizer.step() + ", run.json at "
          + run.step());
    }
    if (run.hasBest()) {
      try (InputStream in = fs.open(new Path(cp, BEST_BIN))) {
        float[][] best = ModelFiles.readParams(in, paramCount, stateCount, cp + "/" + BEST_BIN);
        r.bestParams = best[0];
        r.bestState = best[1];
      }
    }
    r.epoch = run.epoch();
    r.stepInEpoch = run.stepInEpoch();
    r.epochStats = run.epochStats() == null ? new BatchStats() : run.epochStats();
    r.epochSeconds = run.epochSeconds();
    r.history = new ArrayList<>(run.history());
    r.trackerBest = run.trackerBest();
    r.trackerBestEpoch = run.trackerBestEpoch();
    r.trackerWaited = run.trackerWaited();
    r.seconds = run.seconds();
    return r;
  }

  static void writeOptimizer(OptimizerState s, OutputStream out) throws IOException {
    float[][] slots = s.slots();
    int size = slots.length == 0 ? 0 : slots[0].length;
    ByteBuffer body = ByteBuffer.allocate(Math.multiplyExact(slots.length * size, 4)).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] slot : slots) {
      body.asFloatBuffer().put(slot);
      body.position(body.position() + slot.length * 4);
    }
    CRC32 crc = new CRC32();
    crc.update(body.array());
    ByteBuffer h = ByteBuffer.allocate(OPT_HEADER).order(ByteOrder.LITTLE_ENDIAN);
    h.put(OPT_MAGIC).putInt(OPT_VERSION).putInt(slots.length).putInt(size).putLong(s.step())
        .putInt((int) crc.getValue());
    out.write(h.array());
    out.write(body.array());
  }

  static OptimizerState readOptimizer(InputStream in, int paramCount, String file) throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] header = new byte[OPT_HEADER];
    try {
      data.readFully(header);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is truncated inside its header");
    }
    ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[4];
    h.get(magic);
    int version = h.getInt();
    int count = h.getInt();
    int size = h.getInt();
    long step = h.getLong();
    int crcExpected = h.getInt();
    if (!Arrays.equals(magic, OPT_MAGIC) || version != OPT_VERSION) {
      throw new IllegalArgumentException(file + " is not a version-" + OPT_VERSION + " Treeprop optimizer file");
    }
    if (count < 0 || count > 2 * Lbfgs.MAX_HISTORY || (count > 0 && size != paramCount) || step < 0) {
      throw new IllegalArgumentException(file + " holds " + count + " slots of " + size + " values at step " + step
          + "; the network has " + paramCount + " parameters");
    }
    byte[] body = new byte[count * size * 4];
    try {
      data.readFully(body);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is truncated: " + body.length + " bytes of moments expected");
    }
    CRC32 crc = new CRC32();
    crc.update(body);
    if ((int) crc.getValue() != crcExpected) {
      throw new IllegalArgumentException(file + " is corrupted: its CRC32 does not match");
    }
    float[][] slots = new float[count][size];
    ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.LITTLE_ENDIAN);
    for (float[] slot : slots) {
      b.asFloatBuffer().get(slot);
      b.position(b.position() + size * 4);
    }
    return new OptimizerState(step, slots);
  }
}
