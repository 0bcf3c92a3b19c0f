package io.treeprop.spark.score;

import io.treeprop.core.model.Json;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.spark.train.Weights;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructType;

/**
 * Scores a DataFrame in blocks: each partition fills a {@code [block, features]} matrix from up to {@link #BLOCK}
 * rows, runs one forward pass (one sgemm per dense layer), and appends the output columns to each row. Never a
 * per-row UDF.
 */
public final class BlockScorer {
  /** Rows per forward pass: the same block size as the core model's own predictions. */
  public static final int BLOCK = io.treeprop.core.model.Model.PREDICT_BLOCK;

  private BlockScorer() {}

  /** Turns one row's outputs into the values of the appended columns. */
  @FunctionalInterface
  public interface Outputs extends Serializable {
    /**
     * @param ws the workspace after the forward pass: {@code ws.activation(i)} is layer i's output
     * @param row the row's index within the block
     */
    Object[] values(Network net, Workspace ws, int row);
  }

  /** Regression outputs: the row's network output, a double for one output, a vector for several. */
  public static Object[] regression(Network net, Workspace ws, int row) {
    int k = net.outputShape().size();
    float[] out = ws.activation(net.layers().size() - 1);
    if (k == 1) {
      return new Object[] {(double) out[row]};
    }
    double[] v = new double[k];
    for (int j = 0; j < k; j++) {
      v[j] = out[row * k + j];
    }
    return new Object[] {org.apache.spark.ml.linalg.Vectors.dense(v)};
  }

  /**
   * Appends columns computed by the network to every row of {@code df}.
   *
   * @param appended the schema of the appended columns, in order
   * @param weights the broadcast parameters and state
   */
  public static Dataset<Row> score(Dataset<?> df, String featuresCol, NetworkSpec spec, Broadcast<Weights> weights,
      StructType appended, Outputs outputs) {
    Dataset<Row> rows = df.toDF();
    int featureIndex = rows.schema().fieldIndex(featuresCol);
    StructType out = rows.schema();
    for (var f : appended.fields()) {
      out = out.add(f);
    }
    String specJson = Json.writeCompact(spec);
    MapPartitionsFunction<Row, Row> fn = it -> new BlockIterator(it, specJson, weights, featureIndex, outputs);
    return rows.mapPartitions(fn, Encoders.row(out));
  }

  /** Pulls up to BLOCK rows, scores them together, then hands them out one by one. */
  private static final class BlockIterator implements Iterator<Row> {
    private final Iterator<Row> in;
    private final Network net;
    private final Workspace ws;
    private final Broadcast<Weights> weights;
    private final int featureIndex;
    private final Outputs outputs;
    private final List<Row> block = new ArrayList<>(BLOCK);
    private int next;

    BlockIterator(Iterator<Row> in, String specJson, Broadcast<Weights> weights, int featureIndex, Outputs outputs) {
      this.in = in;
      this.net = Json.read(specJson, NetworkSpec.class, "network spec").compile();
      this.ws = net.newWorkspace(BLOCK, false);
      this.weights = weights;
      this.featureIndex = featureIndex;
      this.outputs = outputs;
    }

    @Override
    public boolean hasNext() {
      if (next < block.size()) {
        return true;
      }
      fill();
      return !block.isEmpty();
    }

    @Override
    public Row next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      Row r = block.get(next);
      Object[] extra = outputs.values(net, ws, next);
      next++;
      Object[] values = new Object[r.size() + extra.length];
      for (int i = 0; i < r.size(); i++) {
        values[i] = r.get(i);
      }
      System.arraycopy(extra, 0, values, r.size(), extra.length);
      return RowFactory.create(values);
    }

    private void fill() {
      block.clear();
      next = 0;
      int d = net.inputShape().size();
      float[] x = ws.input();
      while (block.size() < BLOCK && in.hasNext()) {
        Row r = in.next();
        if (r.isNullAt(featureIndex)) {
          throw new IllegalArgumentException("features column is null in a row to score");
        }
        Vector v = r.getAs(featureIndex);
        if (v.size() != d) {
          throw new IllegalArgumentException("a row to score has " + v.size() + " features; the model takes " + d);
        }
        int o = block.size() * d;
        if (v instanceof org.apache.spark.ml.linalg.DenseVector dv) {
          double[] values = dv.values();
          for (int j = 0; j < d; j++) {
            x[o + j] = (float) values[j];
          }
        } else {
          org.apache.spark.ml.linalg.SparseVector sv = (org.apache.spark.ml.linalg.SparseVector) v;
          java.util.Arrays.fill(x, o, o + d, 0f);
          int[] idx = sv.indices();
          double[] values = sv.values();
          for (int k = 0; k < idx.length; k++) {
            x[o + idx[k]] = (float) values[k];
          }
        }
        block.add(r);
      }
      if (!block.isEmpty()) {
        Weights w = weights.value();
        net.forward(ws, w.params, w.state, block.size(), false, 0L);
      }
    }
  }
}
