package io.treeprop.spark.ml;

import io.treeprop.core.model.Model;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.spark.SparkContext;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * The one file that touches Spark ML's persistence internals ({@code DefaultParamsWriter.saveMetadata},
 * {@code DefaultParamsReader.loadMetadata}): params go to Spark's standard {@code metadata/}, the network to
 * core model files in {@code data/}. Estimators use Spark's {@code DefaultParamsWritable} as is.
 */
final class MlPersistence {
  private MlPersistence() {}

  /** Creates a model instance from its uid and core model. */
  @FunctionalInterface
  interface ModelFactory<M> {
    M create(String uid, Model model);
  }

  /** Writes params metadata and the core model. */
  static MLWriter writer(Params instance, Model model) {
    return new MLWriter() {
      @Override
      public void saveImpl(String path) {
        DefaultParamsWriter.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
        try {
          ModelData.save(model, new org.apache.hadoop.fs.Path(path, ModelData.DATA).toString(),
              sc().hadoopConfiguration());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot write the model to " + path, e);
        }
      }
    };
  }

  /** Reads what {@link #writer} wrote. */
  static <M extends Params> MLReader<M> reader(Class<M> type, ModelFactory<M> factory) {
    return new MLReader<M>() {
      @Override
      public M load(String path) {
        SparkContext sc = sparkSession().sparkContext();
        DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sc, type.getName());
        Model model;
        try {
          model = ModelData.load(new org.apache.hadoop.fs.Path(path, ModelData.DATA).toString(),
              sc.hadoopConfiguration());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read the model at " + path, e);
        }
        M m = factory.create(meta.uid(), model);
        meta.getAndSetParams(m, Option.empty());
        return m;
      }
    };
  }
}
