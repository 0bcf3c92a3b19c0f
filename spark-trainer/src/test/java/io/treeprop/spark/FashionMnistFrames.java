package io.treeprop.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.treeprop.core.data.IdxReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/** Test fixture: Fashion-MNIST (Debian's dataset-fashion-mnist) as a DataFrame of features/label, pixels / 255. */
public final class FashionMnistFrames {
  public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");

  private FashionMnistFrames() {}

  public static Dataset<Row> load(SparkSession spark, boolean train, int partitions) throws IOException {
    return load(spark, train, partitions, Integer.MAX_VALUE);
  }

  /** The first {@code limit} images of the training or test set. */
  public static Dataset<Row> load(SparkSession spark, boolean train, int partitions, int limit) throws IOException {
    String prefix = train ? "train" : "t10k";
    Path images = DIR.resolve(prefix + "-images-idx3-ubyte.gz");
    Path labels = DIR.resolve(prefix + "-labels-idx1-ubyte.gz");
    assertTrue(Files.exists(images) && Files.exists(labels), "Fashion-MNIST is missing under " + DIR
        + ": run `apt-get install -y dataset-fashion-mnist`");
    IdxReader.IdxArray x = IdxReader.read(images);
    IdxReader.IdxArray y = IdxReader.read(labels);
    int d = x.itemSize();
    int n = Math.min(limit, x.count());
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double[] v = new double[d];
      for (int j = 0; j < d; j++) {
        v[j] = (x.data()[i * d + j] & 0xFF) / 255.0;
      }
      rows.add(RowFactory.create(Vectors.dense(v), (double) (y.data()[i] & 0xFF)));
    }
    return spark.createDataFrame(rows, TestData.SCHEMA).repartition(partitions);
  }
}
