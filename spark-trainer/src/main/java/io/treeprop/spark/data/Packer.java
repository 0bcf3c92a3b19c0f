package io.treeprop.spark.data;

import io.treeprop.core.loss.Loss;
import io.treeprop.core.random.Seeds;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * Validates a DataFrame and packs each partition once into a {@link Block} of float32 matrices, cached
 * MEMORY_AND_DISK. One Spark job does both; a bad value anywhere fails the whole pack on the driver with an
 * error naming the column, partition, row, value and rule, after un-caching what was packed.
 *
 * <p>Rows held out for validation are chosen per row by {@code uniform(derive(seed, SPLIT, partition), row) <
 * fraction}: reproducible and with no extra pass over the data.
 */
public final class Packer {
  /** The Spark local property behind {@code SparkContext.setJobDescription}, restored after our jobs. */
  public static final String JOB_DESCRIPTION = "spark.job.description";
  private static final String NOT_NULL = "; features, label and weight must not be null (drop or fill such rows "
      + "first, e.g. df.na().drop())";

  private Packer() {}

  /** What to pack and how; crosses to executors. */
  public record Spec(InputColumns columns, int features, int outputs, Loss loss, double validationFraction,
      long seed) implements Serializable {}

  /** The packed, cached data and what is known of each block. */
  public record Packed(JavaRDD<Block> blocks, List<Block.Summary> summaries, long rows, long validationRows) {
    /** Drops the cached blocks. */
    public void release() {
      blocks.unpersist(false);
    }

    /**
     * The same blocks moved into {@code n} partitions (one may hold none or several), cached; releases these. For
     * the barrier exchange, whose job zips validation with training data partition by partition. Moving whole
     * blocks after packing keeps every bad-value message about the caller's own partitions and rows, and changes
     * no validation sum: each block's sums are rounded to float, and the double sums of those are exact.
     */
    public Packed spread(int n) {
      if (blocks.getNumPartitions() == n) {
        return this;
      }
      SparkContext sc = blocks.context();
      String callerDescription = sc.getLocalProperty(JOB_DESCRIPTION);
      sc.setJobDescription("treeprop: spread " + summaries.size() + " packed blocks over " + n + " partitions");
      JavaRDD<Block> moved = blocks.repartition(n).persist(StorageLevel.MEMORY_AND_DISK());
      try {
        moved.count();
      } catch (RuntimeException e) {
        moved.unpersist(false);
        throw e;
      } finally {
        sc.setJobDescription(callerDescription);
      }
      release();
      return new Packed(moved, summaries, rows, validationRows);
    }
  }

  /**
   * Checks the schema, then packs and validates every row.
   *
   * @param partitions repartition to this many partitions first; 0 keeps the DataFrame's partitioning
   * @throws IllegalArgumentException for a missing or mistyped column, a bad value, or no rows at all
   */
  public static Packed pack(Dataset<Row> df, Spec spec, int partitions, String what) {
    checkSchema(df.schema(), spec.columns(), what);
    SparkContext sc = df.sparkSession().sparkContext();
    String callerDescription = sc.getLocalProperty(JOB_DESCRIPTION);
    // set before building the RDD: with adaptive execution that already runs the input's shuffles as jobs
    sc.setJobDescription("treeprop: pack and validate " + what);
    JavaRDD<Block> blocks = null;
    List<Block.Summary> summaries = null;
    try {
      blocks = packedBlocks(df, spec, partitions);
      summaries = blocks.map(Block::summary).collect();
    } finally {
      sc.setJobDescription(callerDescription);
      if (summaries == null && blocks != null) {
        // the job failed (an error in the input's own computation): drop what was cached before rethrowing
        blocks.unpersist(false);
      }
    }
    long n = 0;
    long v = 0;
    for (Block.Summary s : summaries) {
      if (s.error() != null) {
        blocks.unpersist(false);
        throw new IllegalArgumentException(what + ": " + s.error());
      }
      n += s.rows();
      v += s.validationRows();
    }
    if (n == 0) {
      blocks.unpersist(false);
      throw new IllegalArgumentException(what + " is empty" + (v > 0 ? " after holding out " + v
          + " validation rows" : "") + ": training needs at least one row");
    }
    return new Packed(blocks, summaries, n, v);
  }

  /** The selected columns, repartitioned if asked, packed lazily into cached blocks. */
  private static JavaRDD<Block> packedBlocks(Dataset<Row> df, Spec spec, int partitions) {
    // numeric labels and weights as doubles before anything depends on their bytes, as Spark's Predictor does:
    // a round-robin repartition orders rows by their binary form first, so an int weight column would otherwise
    // put rows in other partitions than the same values as doubles, and train another model
    List<org.apache.spark.sql.Column> cols = new ArrayList<>();
    cols.add(df.col(spec.columns().features()));
    cols.add(asDouble(df, spec.columns().label()));
    if (spec.columns().weight() != null) {
      cols.add(asDouble(df, spec.columns().weight()));
    }
    Dataset<Row> selected = df.select(cols.toArray(org.apache.spark.sql.Column[]::new));
    // Spark SQL's shuffle (its own row format), not an RDD shuffle of Row objects through the serializer; always
    // when asked (asking the count first would plan, and with adaptive execution run, the input twice)
    JavaRDD<Row> rows = (partitions > 0 ? ordered(selected.repartition(partitions)) : selected).javaRDD();
    JavaRDD<Block> blocks = rows.mapPartitionsWithIndex((p, it) -> List.of(packPartition(p, it, spec)).iterator(),
        true);
    return blocks.persist(StorageLevel.MEMORY_AND_DISK());
  }

  /**
   * Each partition's rows in an order that depends only on their values: after a shuffle, a reducer reads the map
   * outputs of its own executor first, so the arrival order (and with it the epoch permutations, the held-out rows
   * and the weights) would depend on which executor ran which task, and a partition recomputed after a lost
   * executor would differ. Sorted by two independent hashes of all the row's values (xxHash64 and Murmur3, 96 bits); rows that tie on both
   * are equal with overwhelming probability, and equal rows are interchangeable.
   */
  static Dataset<Row> ordered(Dataset<Row> repartitioned) {
    org.apache.spark.sql.Column[] all = java.util.Arrays.stream(repartitioned.columns())
        .map(repartitioned::col).toArray(org.apache.spark.sql.Column[]::new);
    return repartitioned.sortWithinPartitions(org.apache.spark.sql.functions.xxhash64(all),
        org.apache.spark.sql.functions.hash(all));
  }

  /** A numeric column cast to double under its own name; any other column as it is. */
  private static org.apache.spark.sql.Column asDouble(Dataset<Row> df, String name) {
    org.apache.spark.sql.Column c = df.col(name);
    return df.schema().apply(name).dataType() instanceof NumericType
        ? c.cast(org.apache.spark.sql.types.DataTypes.DoubleType).as(name) : c;
  }

  static void checkSchema(StructType schema, InputColumns c, String what) {
    DataType features = type(schema, c.features(), "features", what);
    if (!features.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException(what + ": the features column \"" + c.features() + "\" has type "
          + features.simpleString() + "; it must be a vector (use VectorAssembler to build one)");
    }
    DataType label = type(schema, c.label(), "label", what);
    if (!(label instanceof NumericType) && !label.equals(SQLDataTypes.VectorType())) {
      throw new IllegalArgumentException(what + ": the label column \"" + c.label() + "\" has type "
          + label.simpleString() + "; it must be numeric (or a vector for several targets); index string "
          + "labels with StringIndexer");
    }
    if (c.weight() != null && !(type(schema, c.weight(), "weight", what) instanceof NumericType)) {
      throw new IllegalArgumentException(what + ": the weight column \"" + c.weight() + "\" must be numeric");
    }
  }

  private static DataType type(StructType schema, String name, String role, String what) {
    for (StructField f : schema.fields()) {
      if (f.name().equals(name)) {
        return f.dataType();
      }
    }
    throw new IllegalArgumentException(what + ": the " + role + " column \"" + name + "\" does not exist; the "
        + "columns are " + java.util.Arrays.toString(schema.fieldNames()));
  }

  static Block packPartition(int p, Iterator<Row> it, Spec spec) {
    int d = spec.features();
    int tw = spec.loss().targetWidth(spec.outputs());
    boolean weighted = spec.columns().weight() != null;
    FloatBuffer x = new FloatBuffer();
    FloatBuffer y = new FloatBuffer();
    FloatBuffer w = new FloatBuffer();
    FloatBuffer vx = new FloatBuffer();
    FloatBuffer vy = new FloatBuffer();
    FloatBuffer vw = new FloatBuffer();
    long splitSeed = Seeds.derive(spec.seed(), Seeds.SPLIT, p);
    Block b = new Block();
    b.partition = p;
    int r = 0;
    for (; it.hasNext(); r++) {
      Row row = it.next();
      boolean val = spec.validationFraction() > 0 && Seeds.uniform(splitSeed, r) < spec.validationFraction();
      String error = addRow(row, p, r, spec, d, tw, weighted, val ? vx : x, val ? vy : y, val ? vw : w);
      if (error != null) {
        b.error = error;
        return b;
      }
    }
    b.rows = x.size() / d;
    b.x = x.toArray();
    b.y = y.toArray();
    b.w = weighted ? w.toArray() : null;
    b.validationRows = vx.size() / d;
    b.vx = vx.toArray();
    b.vy = vy.toArray();
    b.vw = weighted ? vw.toArray() : null;
    return b;
  }

  private static String addRow(Row row, int p, int r, Spec spec, int d, int tw, boolean weighted, FloatBuffer x,
      FloatBuffer y, FloatBuffer w) {
    InputColumns c = spec.columns();
    String at = "partition " + p + ", row " + r + ", column \"";
    if (row.isNullAt(0)) {
      return at + c.features() + "\" is null" + NOT_NULL;
    }
    Vector v = row.getAs(0);
    if (v.size() != d) {
      return at + c.features() + "\" has " + v.size() + " values; the network takes " + d;
    }
    double[] values = v.toArray();
    for (int j = 0; j < d; j++) {
      double f = values[j];
      if (!Double.isFinite(f) || Math.abs(f) > Float.MAX_VALUE) {
        return at + c.features() + "\", feature " + j + " is " + f + "; features must be finite float32 values "
            + "(no NaN or Inf, |x| <= " + Float.MAX_VALUE + ")";
      }
    }
    if (row.isNullAt(1)) {
      return at + c.label() + "\" is null" + NOT_NULL;
    }
    Object label = row.get(1);
    double[] t = label instanceof Vector lv ? lv.toArray() : new double[] {((Number) label).doubleValue()};
    if (t.length != tw) {
      return at + c.label() + "\" has " + t.length + " value(s); the loss " + spec.loss().name() + " on "
          + spec.outputs() + " outputs takes " + tw;
    }
    for (double tv : t) {
      String rule = spec.loss().checkTarget((float) tv, spec.outputs());
      if (rule != null) {
        return at + c.label() + "\" is " + tv + ": " + rule;
      }
    }
    float weight = 1f;
    if (weighted) {
      if (row.isNullAt(2)) {
        return at + c.weight() + "\" is null" + NOT_NULL;
      }
      double wv = ((Number) row.get(2)).doubleValue();
      if (!(wv >= 0) || wv > Float.MAX_VALUE) {
        return at + c.weight() + "\" is " + wv + "; weights must be finite and >= 0 (float32 values, at most "
            + Float.MAX_VALUE + ")";
      }
      weight = (float) wv;
    }
    for (int j = 0; j < d; j++) {
      x.add((float) values[j]);
    }
    for (double tv : t) {
      y.add((float) tv);
    }
    if (weighted) {
      w.add(weight);
    }
    return null;
  }
}
