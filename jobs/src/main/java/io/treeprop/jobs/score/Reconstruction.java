package io.treeprop.jobs.score;

import io.treeprop.core.model.Model;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.Workspace;
import java.util.HashMap;
import java.util.Map;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * An autoencoder trained by the command ({@code model.task = reconstruction}): how its model says so, and what
 * scoring appends to each row: {@value #ERROR}, the row's mean squared error per value between its scaled input and
 * the network's output (the reconstruction), and, when the job marked an encoding layer, {@value #ENCODING}, that
 * layer's output.
 */
public final class Reconstruction {
  /** Model metadata: the task the command trained. */
  public static final String TASK_METADATA = "task";
  /** Its value for an autoencoder. */
  public static final String RECONSTRUCTION = "reconstruction";
  /** Model metadata: the index of the encoding layer (absent: none). */
  public static final String ENCODING_METADATA = "encodingLayer";
  /** The per-row reconstruction error column. */
  public static final String ERROR = "reconstruction_error";
  /** The encoding column. */
  public static final String ENCODING = "encoding";

  private Reconstruction() {}

  /** The metadata marking an autoencoder, with its encoding layer (or null). */
  public static Map<String, Object> metadata(Integer encodingLayer) {
    Map<String, Object> m = new HashMap<>();
    m.put(TASK_METADATA, RECONSTRUCTION);
    if (encodingLayer != null) {
      m.put(ENCODING_METADATA, encodingLayer);
    }
    return m;
  }

  /** Whether {@code m} is an autoencoder the command trained. */
  public static boolean of(Model m) {
    return RECONSTRUCTION.equals(m.metadata().get(TASK_METADATA));
  }

  /**
   * The encoding layer's index, or −1 for none.
   *
   * @throws IllegalArgumentException when the metadata names no layer of the network below the last
   */
  public static int encodingLayer(Model m) {
    Object v = m.metadata().get(ENCODING_METADATA);
    if (v == null) {
      return -1;
    }
    int last = m.network().layers().size() - 1;
    if (!(v instanceof Number n) || n.intValue() != n.doubleValue() || n.intValue() < 0 || n.intValue() >= last) {
      throw new IllegalArgumentException("model metadata \"" + ENCODING_METADATA + "\" (" + v + ") must be a layer "
          + "index from 0 to " + (last - 1));
    }
    return n.intValue();
  }

  /** The appended columns. */
  static StructType schema(int encodingLayer) {
    StructType s = new StructType().add(ERROR, DataTypes.DoubleType, false);
    return encodingLayer < 0 ? s : s.add(ENCODING, SQLDataTypes.VectorType(), false);
  }

  /** One row's error (and encoding), after the block's forward pass; {@code ws.input()} holds the scaled rows. */
  static Object[] values(Network net, Workspace ws, int row, int encodingLayer) {
    int d = net.inputShape().size();
    float[] x = ws.input();
    float[] y = ws.activation(net.layers().size() - 1);
    double sum = 0;
    for (int j = row * d, end = j + d; j < end; j++) {
      double e = (double) y[j] - x[j];
      sum += e * e;
    }
    if (encodingLayer < 0) {
      return new Object[] {sum / d};
    }
    int k = net.layers().get(encodingLayer).outputShape().size();
    float[] a = ws.activation(encodingLayer);
    double[] code = new double[k];
    for (int j = 0; j < k; j++) {
      code[j] = a[row * k + j];
    }
    return new Object[] {sum / d, Vectors.dense(code)};
  }
}
