package io.treeprop.spark.score;

import io.treeprop.core.model.Json;
import io.treeprop.core.model.MicroBatch;
import io.treeprop.core.model.Network;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.model.Workspace;
import io.treeprop.spark.train.Weights;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.catalyst.CatalystTypeConverters;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.JoinedRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.util.ArrayData;
import org.apache.spark.sql.execution.QueryExecution;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.unsafe.Platform;
import scala.Function1;

/**
 * Scores a DataFrame in blocks: each partition fills a {@code [block, features]} matrix from up to {@link #BLOCK}
 * rows (fewer when the network's {@link MicroBatch} is smaller), runs one forward pass (one sgemm per dense layer),
 * and appends the output columns to each row. Never a per-row UDF.
 */
public final class BlockScorer {
  /**
   * The most rows per forward pass: large enough for sgemm to run near peak on dense networks. Networks with
   * larger activations (images) take their {@link MicroBatch} instead.
   */
  public static final int BLOCK = 512;

  private BlockScorer() {}

  /** Turns one row's outputs into the values of the appended columns. */
  @FunctionalInterface
  public interface Outputs extends Serializable {
    /**
     * @param ws the workspace after the forward pass: {@code ws.activation(i)} is layer i's output (a hidden
     *     layer's only when {@link #keptLayer()} names it)
     * @param row the row's index within the block
     */
    Object[] values(Network net, Workspace ws, int row);

    /** The hidden layer whose output {@link #values} reads, kept from being overwritten in place; −1 for none. */
    default int keptLayer() {
      return -1;
    }

    /** {@code outputs}, reading hidden layer {@code layer}'s output too. */
    static Outputs keeping(int layer, Outputs outputs) {
      return new Keeping(layer, outputs);
    }
  }

  private record Keeping(int keptLayer, Outputs outputs) implements Outputs {
    @Override
    public Object[] values(Network net, Workspace ws, int row) {
      return outputs.values(net, ws, row);
    }
  }

  /** A per-feature transform applied to each row's features as they are read (a model's input scaling). */
  @FunctionalInterface
  public interface FeatureTransform extends Serializable {
    /** Transforms the dense features {@code v[0, d)} in place. */
    void apply(double[] v, int d);
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
   * <p>Works on Spark's internal rows: the features are read straight from their binary form, the input row's
   * bytes are copied once into the output, and only the appended values are converted. Going through
   * {@code Row} objects instead would decode the feature vector into a {@code double[]} and encode it again for
   * every row. Uses {@code SparkSession.internalCreateDataFrame} (Spark's own internal entry point for rows in
   * this form, public in the bytecode) of the query execution's session, checked against Spark 3.5 and 4 by the
   * tests.
   *
   * @param appended the schema of the appended columns, in order
   * @param weights the broadcast parameters and state
   */
  public static Dataset<Row> score(Dataset<?> df, String featuresCol, NetworkSpec spec, Broadcast<Weights> weights,
      StructType appended, Outputs outputs) {
    return score(df, featuresCol, spec, weights, appended, outputs, null);
  }

  /**
   * As above, with {@code transform} (may be null) applied to each row's features on their way into the network;
   * the features column itself is passed through as it is. A streaming DataFrame is scored the same way, in
   * blocks of each micro-batch's partitions, through {@code Row}s ({@code mapPartitions} with a row encoder: a
   * stream has no query RDD to map), so {@code writeStream} can run it.
   */
  public static Dataset<Row> score(Dataset<?> df, String featuresCol, NetworkSpec spec, Broadcast<Weights> weights,
      StructType appended, Outputs outputs, FeatureTransform transform) {
    Dataset<Row> rows = df.toDF();
    StructType in = rows.schema();
    int featureIndex = in.fieldIndex(featuresCol);
    if (!(in.fields()[featureIndex].dataType() instanceof VectorUDT)) {
      throw new IllegalArgumentException("the features column \"" + featuresCol + "\" has type "
          + in.fields()[featureIndex].dataType().simpleString() + "; it must be a vector");
    }
    StructType out = in;
    for (var f : appended.fields()) {
      out = out.add(f);
    }
    String specJson = Json.writeCompact(spec);
    int inputColumns = in.size();
    if (rows.isStreaming()) {
      Dataset<Row> scored = rows.mapPartitions((MapPartitionsFunction<Row, Row>) it -> new RowBlocks(it, specJson,
          weights, featureIndex, inputColumns, outputs, transform), Encoders.row(out));
      // the row encoder keeps names and types but not the columns' metadata (vector sizes, class counts)
      org.apache.spark.sql.Column[] cols = new org.apache.spark.sql.Column[out.size()];
      for (int i = 0; i < cols.length; i++) {
        var f = out.fields()[i];
        cols[i] = scored.col(f.name()).as(f.name(), f.metadata());
      }
      return scored.select(cols);
    }
    // Spark 3.5 and 4 in one source: Spark 4's Dataset/SparkSession are API classes without the internal entry
    // point, but the query execution's session is the classic one on both lines (DESIGN.md decision 23)
    QueryExecution execution = rows.queryExecution();
    RDD<InternalRow> scored = execution.toRdd().toJavaRDD()
        .mapPartitions((FlatMapFunction<Iterator<InternalRow>, InternalRow>) it -> new InternalRowBlocks(it, specJson,
            weights, featureIndex, inputColumns, appended, outputs, transform))
        .rdd();
    return execution.sparkSession().internalCreateDataFrame(scored, out, false);
  }

  /**
   * Pulls up to the workspace's capacity of rows (a micro-batch, at most BLOCK), scores them together, then hands them out one by one with the outputs appended.
   *
   * @param <T> the row type: Spark's internal rows (batch) or {@code Row}s (streams)
   */
  private abstract static class Blocks<T> implements Iterator<T> {
    final Network net;
    final Workspace ws;
    final int featureIndex;
    final Outputs outputs;
    private final Iterator<T> in;
    private final Broadcast<Weights> weights;
    private final int inputColumns;
    private final FeatureTransform transform;
    private final List<T> block;
    /** One row's features as doubles, reused. */
    final double[] scratch;
    private int next;

    Blocks(Iterator<T> in, String specJson, Broadcast<Weights> weights, int featureIndex, int inputColumns,
        Outputs outputs, FeatureTransform transform) {
      this.in = in;
      this.net = Json.read(specJson, NetworkSpec.class, "network spec").compile();
      this.ws = net.newWorkspace(MicroBatch.defaults().rows(net, BLOCK), false, outputs.keptLayer());
      this.block = new ArrayList<>(ws.capacity());
      this.weights = weights;
      this.featureIndex = featureIndex;
      this.inputColumns = inputColumns;
      this.outputs = outputs;
      this.transform = transform;
      this.scratch = new double[net.inputShape().size()];
    }

    /** Reads the row's features into {@link #scratch}[0, d); fails on a bad vector. */
    abstract void read(T row, int d);

    abstract int columns(T row);

    abstract boolean featuresNull(T row);

    /** A row that survives the input iterator's next call. */
    abstract T keep(T row);

    /** The row with the outputs appended. */
    abstract T emit(T row, Object[] values);

    @Override
    public boolean hasNext() {
      if (next < block.size()) {
        return true;
      }
      fill();
      return !block.isEmpty();
    }

    @Override
    public T next() {
      if (!hasNext()) {
        throw new java.util.NoSuchElementException();
      }
      T r = block.get(next);
      Object[] values = outputs.values(net, ws, next);
      next++;
      return emit(r, values);
    }

    private void fill() {
      block.clear();
      next = 0;
      int d = net.inputShape().size();
      float[] x = ws.input();
      while (block.size() < ws.capacity() && in.hasNext()) {
        T r = in.next();
        if (columns(r) != inputColumns) {
          throw new IllegalStateException("a row to score has " + columns(r) + " columns, expected "
              + inputColumns);
        }
        if (featuresNull(r)) {
          throw new IllegalArgumentException("features column is null in a row to score");
        }
        read(r, d);
        if (transform != null) {
          transform.apply(scratch, d);
        }
        int o = block.size() * d;
        for (int j = 0; j < d; j++) {
          x[o + j] = (float) scratch[j];
        }
        block.add(keep(r));
      }
      if (!block.isEmpty()) {
        Weights w = weights.value();
        net.forward(ws, w.params, w.state, block.size(), false, 0L);
      }
    }

    static void checkSize(int size, int d) {
      if (size != d) {
        throw new IllegalArgumentException("a row to score has " + size + " features; the model takes " + d);
      }
    }

    static void checkIndex(int i, int d) {
      if (i < 0 || i >= d) {
        throw new IllegalArgumentException("a sparse feature vector to score has index " + i
            + "; indices must be in [0, " + (d - 1) + "]");
      }
    }
  }

  /** Batch scoring on Spark's internal rows: features read from their binary form, outputs joined on. */
  private static final class InternalRowBlocks extends Blocks<InternalRow> {
    private final Function1<Object, Object> toCatalyst;
    private final JoinedRow joined = new JoinedRow();

    InternalRowBlocks(Iterator<InternalRow> in, String specJson, Broadcast<Weights> weights, int featureIndex,
        int inputColumns, StructType appended, Outputs outputs, FeatureTransform transform) {
      super(in, specJson, weights, featureIndex, inputColumns, outputs, transform);
      this.toCatalyst = CatalystTypeConverters.createToCatalystConverter(appended);
    }

    @Override
    int columns(InternalRow row) {
      return row.numFields();
    }

    @Override
    boolean featuresNull(InternalRow row) {
      return row.isNullAt(featureIndex);
    }

    @Override
    InternalRow keep(InternalRow row) {
      return row.copy(); // the input iterator may reuse its row object
    }

    @Override
    InternalRow emit(InternalRow row, Object[] values) {
      return joined.apply(row, (InternalRow) toCatalyst.apply(RowFactory.create(values)));
    }

    /** Reads a vector in Spark ML's binary form (type, size, indices, values). */
    @Override
    void read(InternalRow row, int d) {
      InternalRow v = row.getStruct(featureIndex, 4);
      boolean dense = v.getByte(0) == 1;
      ArrayData values = v.getArray(3);
      checkSize(dense ? values.numElements() : v.getInt(1), d);
      double[] buf = scratch;
      if (dense && values instanceof UnsafeArrayData u) {
        // one bulk copy of the raw doubles, as UnsafeArrayData.toDoubleArray does, into a reused buffer
        Platform.copyMemory(u.getBaseObject(), u.getBaseOffset() + UnsafeArrayData.calculateHeaderPortionInBytes(d),
            buf, Platform.DOUBLE_ARRAY_OFFSET, 8L * d);
      } else if (dense) {
        for (int j = 0; j < d; j++) {
          buf[j] = values.getDouble(j);
        }
      } else {
        ArrayData idx = v.getArray(2);
        if (idx.numElements() != values.numElements()) {
          throw new IllegalArgumentException("a sparse feature vector to score has " + idx.numElements()
              + " indices and " + values.numElements() + " values");
        }
        java.util.Arrays.fill(buf, 0, d, 0);
        for (int k = 0; k < idx.numElements(); k++) {
          int i = idx.getInt(k);
          checkIndex(i, d);
          buf[i] = values.getDouble(k);
        }
      }
    }
  }

  /** Stream scoring on {@code Row}s: the same blocks, the outputs appended to each row's values. */
  private static final class RowBlocks extends Blocks<Row> {
    RowBlocks(Iterator<Row> in, String specJson, Broadcast<Weights> weights, int featureIndex, int inputColumns,
        Outputs outputs, FeatureTransform transform) {
      super(in, specJson, weights, featureIndex, inputColumns, outputs, transform);
    }

    @Override
    int columns(Row row) {
      return row.size();
    }

    @Override
    boolean featuresNull(Row row) {
      return row.isNullAt(featureIndex);
    }

    @Override
    Row keep(Row row) {
      return row;
    }

    @Override
    Row emit(Row row, Object[] values) {
      Object[] all = new Object[row.size() + values.length];
      for (int i = 0; i < row.size(); i++) {
        all[i] = row.get(i);
      }
      System.arraycopy(values, 0, all, row.size(), values.length);
      return RowFactory.create(all);
    }

    @Override
    void read(Row row, int d) {
      Vector v = row.getAs(featureIndex);
      checkSize(v.size(), d);
      if (v instanceof SparseVector sv) {
        java.util.Arrays.fill(scratch, 0, d, 0);
        int[] idx = sv.indices();
        double[] values = sv.values();
        for (int k = 0; k < idx.length; k++) {
          checkIndex(idx[k], d);
          scratch[idx[k]] = values[k];
        }
      } else {
        System.arraycopy(((DenseVector) v).values(), 0, scratch, 0, d);
      }
    }
  }
}
