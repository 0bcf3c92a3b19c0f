package io.treeprop.core.model;

import io.treeprop.core.param.ParamLayout;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.treeprop.core.loss.Loss;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.CRC32;

/**
 * The model directory format: {@code model.json} (metadata and spec) and {@code params.bin} (the vectors).
 *
 * <pre>
 * params.bin, little-endian:
 *   bytes 0-3   magic "TPRM"
 *   bytes 4-7   int32 format version (1)
 *   bytes 8-11  int32 parameter count P
 *   bytes 12-15 int32 state count S
 *   bytes 16-19 int32 CRC32 of the payload
 *   bytes 20-   float32[P] parameters, then float32[S] state
 * </pre>
 *
 * Loading validates everything before it allocates: the magic, both versions, that the counts agree with
 * {@code model.json} and with the compiled spec, the exact length, the checksum, and that every value is
 * finite. Streams are used so the Spark module can read and write through Hadoop's {@code FileSystem}.
 */
public final class ModelFiles {
  public static final String MODEL_JSON = "model.json";
  public static final String PARAMS_BIN = "params.bin";
  public static final String FORMAT = "treeprop-model";
  public static final int VERSION = 1;
  static final byte[] MAGIC = {'T', 'P', 'R', 'M'};
  static final int HEADER_BYTES = 20;
  private static final int CHUNK_FLOATS = 1 << 16;

  private ModelFiles() {}

  /** The JSON document of {@code model.json}. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Document(String format, int version, NetworkSpec network, Loss loss, List<String> labels,
      int paramCount, int stateCount, TrainingSummary training, Map<String, Object> metadata) {}

  /** Writes {@code model.json}. */
  public static void writeJson(Model m, OutputStream out) throws IOException {
    Document d = new Document(FORMAT, VERSION, m.spec(), m.loss(), m.labels(), m.params().length,
        m.state().length, m.summary(), m.metadata().isEmpty() ? null : m.metadata());
    out.write(Json.write(d).getBytes(StandardCharsets.UTF_8));
  }

  /** Writes {@code params.bin}. */
  public static void writeParams(float[] params, float[] state, OutputStream out) throws IOException {
    CRC32 crc = new CRC32();
    ByteBuffer chunk = ByteBuffer.allocate(CHUNK_FLOATS * 4).order(ByteOrder.LITTLE_ENDIAN);
    visitPayload(params, state, chunk, crc::update);
    ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    h.put(MAGIC).putInt(VERSION).putInt(params.length).putInt(state.length).putInt((int) crc.getValue());
    out.write(h.array());
    visitPayload(params, state, chunk, b -> out.write(b.array(), 0, b.limit()));
  }

  private interface ChunkSink {
    void accept(ByteBuffer b) throws IOException;
  }

  private static void visitPayload(float[] p, float[] s, ByteBuffer chunk, ChunkSink sink) throws IOException {
    for (float[] a : new float[][] {p, s}) {
      for (int i = 0; i < a.length; i += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, a.length - i);
        chunk.clear();
        chunk.asFloatBuffer().put(a, i, n);
        chunk.limit(n * 4);
        sink.accept(chunk);
      }
    }
  }

  /**
   * Reads a model from its two files.
   *
   * @param where names the model in errors (e.g. its directory)
   * @throws IllegalArgumentException naming the file, the value found and the rule broken
   */
  public static Model read(InputStream json, InputStream params, String where) throws IOException {
    String text = new String(json.readAllBytes(), StandardCharsets.UTF_8);
    Document d = Json.read(text, Document.class, where + "/" + MODEL_JSON);
    if (!FORMAT.equals(d.format())) {
      throw new IllegalArgumentException(where + "/" + MODEL_JSON + ": format is \"" + d.format() + "\", expected \""
          + FORMAT + "\"; this is not a Treeprop model directory");
    }
    if (d.version() != VERSION) {
      throw new IllegalArgumentException(where + "/" + MODEL_JSON + ": format version " + d.version()
          + " is not supported; this Treeprop reads version " + VERSION);
    }
    if (d.network() == null) {
      throw new IllegalArgumentException(where + "/" + MODEL_JSON + ": \"network\" is missing");
    }
    Network net;
    try {
      net = d.network().compile();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "/" + MODEL_JSON + ": " + e.getMessage(), e);
    }
    ParamLayout layout = net.layout();
    if (d.paramCount() != layout.paramCount() || d.stateCount() != layout.stateCount()) {
      throw new IllegalArgumentException(where + "/" + MODEL_JSON + ": declares " + d.paramCount()
          + " parameters and " + d.stateCount() + " state values, but its network has " + layout.paramCount()
          + " and " + layout.stateCount());
    }
    float[][] vectors = readParams(params, d.paramCount(), d.stateCount(), where + "/" + PARAMS_BIN);
    try {
      return new Model(d.network(), vectors[0], vectors[1], d.loss(), d.labels(), d.training(), d.metadata());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(where + "/" + MODEL_JSON + ": " + e.getMessage(), e);
    }
  }

  /**
   * Reads {@code params.bin}, checking it holds exactly {@code paramCount} parameters and {@code stateCount}
   * state values.
   *
   * @return {@code {params, state}}
   */
  public static float[][] readParams(InputStream in, int paramCount, int stateCount, String file)
      throws IOException {
    DataInputStream data = new DataInputStream(in);
    byte[] header = new byte[HEADER_BYTES];
    try {
      data.readFully(header);
    } catch (EOFException e) {
      throw new IllegalArgumentException(file + " is truncated: shorter than its " + HEADER_BYTES + "-byte header");
    }
    ByteBuffer h = ByteBuffer.wrap(header).order(ByteOrder.LITTLE_ENDIAN);
    byte[] magic = new byte[4];
    h.get(magic);
    if (!java.util.Arrays.equals(magic, MAGIC)) {
      throw new IllegalArgumentException(file + " does not start with the magic \"TPRM\"; it is not a Treeprop "
          + "parameter file");
    }
    int version = h.getInt();
    if (version != VERSION) {
      throw new IllegalArgumentException(file + ": format version " + version + " is not supported; this Treeprop "
          + "reads version " + VERSION);
    }
    int p = h.getInt();
    int s = h.getInt();
    int crcExpected = h.getInt();
    if (p != paramCount || s != stateCount) {
      throw new IllegalArgumentException(file + " holds " + p + " parameters and " + s + " state values; "
          + "model.json's network needs " + paramCount + " and " + stateCount);
    }
    float[] params = new float[p];
    float[] state = new float[s];
    CRC32 crc = new CRC32();
    byte[] buf = new byte[CHUNK_FLOATS * 4];
    long done = 0;
    long total = (long) p + s;
    for (float[] a : new float[][] {params, state}) {
      for (int i = 0; i < a.length; i += CHUNK_FLOATS) {
        int n = Math.min(CHUNK_FLOATS, a.length - i);
        int got = data.readNBytes(buf, 0, n * 4);
        if (got < n * 4) {
          long bytes = done * 4 + got;
          throw new IllegalArgumentException(file + " is truncated: its header announces " + total + " floats ("
              + (HEADER_BYTES + total * 4) + " bytes) but the data ends after " + bytes / 4 + " floats ("
              + (HEADER_BYTES + bytes) + " bytes)");
        }
        crc.update(buf, 0, n * 4);
        ByteBuffer.wrap(buf, 0, n * 4).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(a, i, n);
        done += n;
      }
    }
    if (data.read() != -1) {
      throw new IllegalArgumentException(file + " has bytes after the " + total + " floats its header announces");
    }
    if ((int) crc.getValue() != crcExpected) {
      throw new IllegalArgumentException(String.format("%s is corrupted: CRC32 of the data is %08x, the header "
          + "says %08x", file, (int) crc.getValue(), crcExpected));
    }
    checkFinite(params, file, "parameter");
    checkFinite(state, file, "state value");
    return new float[][] {params, state};
  }

  private static void checkFinite(float[] a, String file, String what) {
    for (int i = 0; i < a.length; i++) {
      if (!Float.isFinite(a[i])) {
        throw new IllegalArgumentException(file + ": " + what + " " + i + " is " + a[i] + "; a model must hold "
            + "finite values");
      }
    }
  }

  /**
   * Saves to a local directory atomically: the files go to a temporary sibling that is then renamed, so a crash
   * never leaves a half-written model under {@code dir}.
   *
   * @throws IllegalArgumentException when {@code dir} exists and {@code overwrite} is false
   */
  public static void save(Model m, Path dir, boolean overwrite) throws IOException {
    Path target = dir.toAbsolutePath();
    if (Files.exists(target) && !overwrite) {
      throw new IllegalArgumentException("model directory " + target + " already exists; choose another path or "
          + "allow overwriting");
    }
    Path parent = target.getParent();
    Files.createDirectories(parent);
    Path tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".tmp-");
    try {
      try (OutputStream o = Files.newOutputStream(tmp.resolve(MODEL_JSON))) {
        writeJson(m, o);
      }
      try (OutputStream o = new java.io.BufferedOutputStream(Files.newOutputStream(tmp.resolve(PARAMS_BIN)))) {
        writeParams(m.params(), m.state(), o);
      }
      if (Files.exists(target)) {
        deleteRecursively(target);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target);
      }
    } finally {
      if (Files.exists(tmp)) {
        deleteRecursively(tmp);
      }
    }
  }

  /** Loads a model saved by {@link #save}. */
  public static Model load(Path dir) throws IOException {
    Path json = dir.resolve(MODEL_JSON);
    Path bin = dir.resolve(PARAMS_BIN);
    for (Path f : new Path[] {json, bin}) {
      if (!Files.isRegularFile(f)) {
        throw new IllegalArgumentException("cannot load a model from " + dir + ": " + f.getFileName()
            + " is missing");
      }
    }
    try (InputStream j = Files.newInputStream(json);
        InputStream b = new java.io.BufferedInputStream(Files.newInputStream(bin))) {
      return read(j, b, dir.toString());
    }
  }

  private static void deleteRecursively(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(x);
      }
    }
  }
}
