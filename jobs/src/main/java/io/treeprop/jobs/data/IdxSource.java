package io.treeprop.jobs.data;

import io.treeprop.core.data.IdxReader;
import io.treeprop.core.data.IdxReader.IdxArray;
import io.treeprop.core.tensor.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * IDX images and labels (MNIST format, gzipped or not) through Hadoop's {@code FileSystem}: both files are read
 * whole on the driver with core's {@link IdxReader} (MNIST-size data: 47 MB of pixels for 60,000 images), checked
 * against each other, and broadcast as chunks of raw bytes (one label byte, then the pixels, per image) that the
 * executors decode into rows. Features are the pixel values 0..255 as doubles, unscaled; the label is the label
 * byte. Row order is the file order.
 */
final class IdxSource {
  /** Images per parallelized chunk (at most): small tasks to ship, few objects to hold. */
  static final int CHUNK_ROWS = 1024;
  private static final int CHUNK_BYTES = 8 << 20;

  private IdxSource() {}

  static SourceData read(SparkSession spark, SourceSpec spec) {
    IdxArray images = load(spark, spec.path(), "idx images");
    if (images.dims().length < 2) {
      throw new IllegalArgumentException("idx images at " + spec.path() + " has dimensions "
          + Arrays.toString(images.dims()) + "; an images file has at least two (count, then the image shape) "
          + "— is it a labels file?");
    }
    IdxArray labels = null;
    if (spec.labelPath() != null) {
      labels = load(spark, spec.labelPath(), "idx labels");
      if (labels.dims().length != 1) {
        throw new IllegalArgumentException("idx labels at " + spec.labelPath() + " has dimensions "
            + Arrays.toString(labels.dims()) + "; a labels file has exactly one (the count) — is it an images file?");
      }
      if (labels.count() != images.count()) {
        throw new IllegalArgumentException("idx data: the images file " + spec.path() + " holds " + images.count()
            + " images but the labels file " + spec.labelPath() + " holds " + labels.count() + " labels; the "
            + "counts must match (are they from the same set, e.g. both train or both t10k?)");
      }
    }
    int d = images.itemSize();
    boolean labeled = labels != null;
    List<byte[]> chunks = chunks(images, labels);
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slices = Math.max(1, Math.min(chunks.size(), jsc.defaultParallelism()));
    // The bytes travel as a broadcast (fetched once per executor), the partitions hold only chunk numbers: a
    // parallelized collection of the bytes themselves would ship its whole partition with every task of every
    // RDD built on it, i.e. with every training step.
    Broadcast<byte[][]> data = jsc.broadcast(chunks.toArray(new byte[0][]));
    List<Integer> ids = java.util.stream.IntStream.range(0, chunks.size()).boxed().toList();
    JavaRDD<Row> rows = jsc.parallelize(ids, slices).flatMap(i -> decode(data.value()[i], d, labeled));
    // [count, rows, cols] images are one-channel pictures; other ranks stay plain vectors
    Shape shape = images.dims().length == 3 ? Shape.image(1, images.dims()[1], images.dims()[2]) : null;
    return new SourceData(spark.createDataFrame(rows, schema(labeled)), images.count(), d,
        "idx data at " + spec.path(), null, null, null, shape);
  }

  private static IdxArray load(SparkSession spark, String path, String what) {
    DataSource.requireFiles(spark, path, what);
    Path p = new Path(path);
    try {
      if (p.getFileSystem(spark.sparkContext().hadoopConfiguration()).getFileStatus(p).isDirectory()) {
        throw new IllegalArgumentException(what + " at " + path + " is a directory; an idx source is one file "
            + "(e.g. train-images-idx3-ubyte.gz)");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " at " + path, e);
    }
    try (InputStream in = p.getFileSystem(spark.sparkContext().hadoopConfiguration()).open(p)) {
      return IdxReader.read(in, what + " at " + path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + what + " at " + path, e);
    }
  }

  /** Records of {@code [label byte if labelled, pixel bytes...]}, at most {@link #CHUNK_ROWS} (and 8 MB) per chunk. */
  static List<byte[]> chunks(IdxArray images, IdxArray labels) {
    int n = images.count();
    int d = images.itemSize();
    int record = d + (labels == null ? 0 : 1);
    int perChunk = Math.max(1, Math.min(CHUNK_ROWS, CHUNK_BYTES / record));
    List<byte[]> chunks = new ArrayList<>();
    for (int start = 0; start < n; start += perChunk) {
      int k = Math.min(perChunk, n - start);
      byte[] c = new byte[k * record];
      for (int i = 0; i < k; i++) {
        int at = i * record;
        if (labels != null) {
          c[at++] = labels.data()[start + i];
        }
        System.arraycopy(images.data(), (start + i) * d, c, at, d);
      }
      chunks.add(c);
    }
    return chunks;
  }

  private static Iterator<Row> decode(byte[] chunk, int d, boolean labeled) {
    int record = d + (labeled ? 1 : 0);
    List<Row> rows = new ArrayList<>(chunk.length / record);
    for (int at = 0; at < chunk.length; at += record) {
      int p = labeled ? at + 1 : at;
      double[] x = new double[d];
      for (int j = 0; j < d; j++) {
        x[j] = chunk[p + j] & 0xFF;
      }
      rows.add(labeled ? RowFactory.create(Vectors.dense(x), (double) (chunk[at] & 0xFF))
          : RowFactory.create(Vectors.dense(x)));
    }
    return rows.iterator();
  }

  private static StructType schema(boolean labeled) {
    StructField features = new StructField(SourceData.FEATURES, SQLDataTypes.VectorType(), false, Metadata.empty());
    return labeled
        ? new StructType(new StructField[] {features,
            new StructField(SourceData.LABEL, DataTypes.DoubleType, false, Metadata.empty())})
        : new StructType(new StructField[] {features});
  }
}
