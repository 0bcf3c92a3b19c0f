package io.treeprop.spark.data;

import java.io.Serializable;

/**
 * One partition packed for training: its training rows and its held-out validation rows as dense float32
 * matrices, or the first validation error found in it. Built once by {@link Packer} and cached; training steps
 * only read it.
 *
 * <p>{@code x: [rows, features]}, {@code y: [rows, targetWidth]}, {@code w: [rows]} or null when unweighted; the
 * same for the {@code v*} validation arrays.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  public int partition;
  public int rows;
  public float[] x;
  public float[] y;
  public float[] w;
  public int validationRows;
  public float[] vx;
  public float[] vy;
  public float[] vw;
  /** The first bad value found in this partition, or null. */
  public String error;

  /** For Kryo. */
  public Block() {}

  /** Rows in this block as a small summary for the driver (no arrays). */
  public Summary summary() {
    return new Summary(partition, rows, validationRows, error);
  }

  /** What the driver learns about each block after packing (a plain class: it crosses Kryo). */
  public static final class Summary implements Serializable {
    private static final long serialVersionUID = 1L;
    private int partition;
    private int rows;
    private int validationRows;
    private String error;

    /** For Kryo. */
    public Summary() {}

    Summary(int partition, int rows, int validationRows, String error) {
      this.partition = partition;
      this.rows = rows;
      this.validationRows = validationRows;
      this.error = error;
    }

    public int partition() {
      return partition;
    }

    public int rows() {
      return rows;
    }

    public int validationRows() {
      return validationRows;
    }

    /** The first bad value of the partition, or null. */
    public String error() {
      return error;
    }
  }
}
