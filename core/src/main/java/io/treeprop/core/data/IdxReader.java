package io.treeprop.core.data;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST, gzipped or not (detected from the content).
 *
 * <pre>
 * magic: 0x00 0x00 &lt;type&gt; &lt;rank&gt;, type 0x08 = unsigned byte; then rank big-endian int32 dimensions; then
 * the data, row-major. LeCun et al., http://yann.lecun.com/exdb/mnist/ (the "IDX file format" section)
 * </pre>
 *
 * Only unsigned-byte data is supported (all MNIST-family files); anything else is a clear error.
 */
public final class IdxReader {
  private static final int UBYTE = 0x08;
  private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 64;

  private IdxReader() {}

  /**
   * An IDX array: its dimensions and its values as unsigned bytes.
   *
   * @param dims e.g. {@code [60000, 28, 28]} for images, {@code [60000]} for labels
   */
  public record IdxArray(int[] dims, byte[] data) {
    /** Number of items (the first dimension). */
    public int count() {
      return dims[0];
    }

    /** Values per item (product of the other dimensions). */
    public int itemSize() {
      int s = 1;
      for (int i = 1; i < dims.length; i++) {
        s *= dims[i];
      }
      return s;
    }

    /** Item values as floats multiplied by {@code scale}, {@code [count, itemSize]}. */
    public float[] toFloats(float scale) {
      float[] f = new float[data.length];
      for (int i = 0; i < data.length; i++) {
        f[i] = (data[i] & 0xFF) * scale;
      }
      return f;
    }
  }

  /** Reads a file. */
  public static IdxArray read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    }
  }

  /**
   * Reads from a stream (closed by the caller).
   *
   * @param name names the source in errors
   * @throws IllegalArgumentException for a bad magic, type, dimension or a truncated body
   */
  public static IdxArray read(InputStream raw, String name) throws IOException {
    PushbackInputStream pb = new PushbackInputStream(raw, 2);
    int b0 = pb.read();
    int b1 = pb.read();
    if (b1 >= 0) {
      pb.unread(b1);
    }
    if (b0 >= 0) {
      pb.unread(b0);
    }
    InputStream in = b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(pb, 1 << 16) : pb;
    DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in, 1 << 16));
    int magic;
    try {
      magic = data.readInt();
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " is not an IDX file: shorter than the 4-byte magic");
    }
    if ((magic >>> 16) != 0) {
      throw new IllegalArgumentException(String.format("%s is not an IDX file: the magic is 0x%08x, IDX files start "
          + "with two zero bytes (e.g. 0x00000803 for images)", name, magic));
    }
    int type = (magic >>> 8) & 0xFF;
    int rank = magic & 0xFF;
    if (type != UBYTE) {
      throw new IllegalArgumentException(String.format("%s: IDX data type 0x%02x is not supported; only unsigned "
          + "bytes (0x08) are", name, type));
    }
    if (rank < 1 || rank > 4) {
      throw new IllegalArgumentException(name + ": IDX rank " + rank + " is not supported; expected 1 to 4");
    }
    int[] dims = new int[rank];
    long total = 1;
    for (int i = 0; i < rank; i++) {
      try {
        dims[i] = data.readInt();
      } catch (EOFException e) {
        throw new IllegalArgumentException(name + " is truncated inside its header (dimension " + i + ")");
      }
      if (dims[i] <= 0) {
        throw new IllegalArgumentException(name + ": IDX dimension " + i + " is " + dims[i] + "; must be positive");
      }
      total *= dims[i];
      if (total > MAX_ELEMENTS) {
        throw new IllegalArgumentException(name + ": IDX dimensions " + Arrays.toString(dims) + " exceed "
            + MAX_ELEMENTS + " values");
      }
    }
    byte[] body = new byte[(int) total];
    try {
      data.readFully(body);
    } catch (EOFException e) {
      throw new IllegalArgumentException(name + " is truncated: its header " + Arrays.toString(dims) + " announces "
          + total + " bytes of data");
    }
    return new IdxArray(dims, body);
  }
}
