package io.treeprop.spark.ml;

import io.treeprop.core.model.Model;
import io.treeprop.core.model.TrainingSummary;
import io.treeprop.spark.score.BlockScorer;
import io.treeprop.spark.train.Weights;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import scala.reflect.ClassTag$;

/**
 * A trained {@link Autoencoder}: appends the bottleneck activations ({@code encodingCol}) and the reconstruction
 * ({@code reconstructionCol}), computed over blocks of rows. Noise layers are inactive here.
 */
public final class AutoencoderModel extends org.apache.spark.ml.Model<AutoencoderModel>
    implements AutoencoderParams, MLWritable {
  private static final long serialVersionUID = 1L;

  private final String uid;
  private final ParamDefs defs;
  private final Defs aeDefs;
  private final transient Model core;

  /**
   * An empty model, for {@code java.util.ServiceLoader} only: Spark Connect ML lists the models it can serve by
   * instantiating each one registered in {@code META-INF/services/org.apache.spark.ml.Transformer}. It has no
   * network; a model to use comes from {@link Autoencoder#fit} or {@link #read()}.
   */
  public AutoencoderModel() {
    this(Identifiable$.MODULE$.randomUID("treepropAutoencoderModel"), null);
  }

  public AutoencoderModel(String uid, Model core) {
    this.uid = uid;
    this.defs = new ParamDefs(this);
    this.aeDefs = new Defs(this);
    defs.setDefaults(this, "mse", new int[] {64, 16});
    aeDefs.setDefaults(this);
    this.core = core;
  }

  /** The core model; an empty model (the no-argument constructor) has none and says so. */
  private Model core() {
    return EmptyModel.require(core, this, "Autoencoder");
  }

  @Override
  public String uid() {
    return uid;
  }

  @Override
  public ParamDefs defs() {
    return defs;
  }

  @Override
  public Defs aeDefs() {
    return aeDefs;
  }

  /** The trained core model. */
  public Model coreModel() {
    return core();
  }

  public TrainingSummary trainingSummary() {
    return core().summary();
  }

  /** Size of the encoding. */
  public int encodingSize() {
    return core().network().layers().get(encodingLayerIndex()).outputShape().size();
  }

  private int encodingLayerIndex() {
    Object v = core().metadata().get(Autoencoder.ENCODING_LAYER);
    if (!(v instanceof Number n) || n.intValue() < 0 || n.intValue() >= core().network().layers().size()) {
      throw new IllegalStateException("the model's metadata has no valid " + Autoencoder.ENCODING_LAYER + ": " + v);
    }
    return n.intValue();
  }

  /**
   * The input schema with the encoding and reconstruction columns appended; with their vector sizes in the
   * columns' metadata when known ({@code encoding}/{@code reconstruction} widths; -1 while unfitted).
   */
  static StructType outputSchema(StructType schema, AutoencoderParams p, int encodingSize, int reconstructionSize) {
    StructType out = schema;
    if (!p.getEncodingCol().isEmpty()) {
      out = out.add(Columns.vectorField(p.getEncodingCol(), encodingSize));
    }
    if (!p.getReconstructionCol().isEmpty()) {
      out = out.add(Columns.vectorField(p.getReconstructionCol(), reconstructionSize));
    }
    return out;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Columns.requireVector(schema, getFeaturesCol(), "features");
    return outputSchema(schema, this, core().network().layers().get(encodingLayerIndex()).outputShape().size(),
        core().network().outputShape().size());
  }

  @Override
  public Dataset<Row> transform(Dataset<?> dataset) {
    boolean enc = !getEncodingCol().isEmpty();
    boolean rec = !getReconstructionCol().isEmpty();
    StructType appended = Columns.appended(transformSchema(dataset.schema()), enc ? getEncodingCol() : null,
        rec ? getReconstructionCol() : null);
    int layer = encodingLayerIndex();
    Broadcast<Weights> bc = dataset.sparkSession().sparkContext().broadcast(
        new Weights(core().params(), core().state()), ClassTag$.MODULE$.apply(Weights.class));
    BlockScorer.Outputs outputs = (net, ws, row) -> {
      List<Object> out = new ArrayList<>(2);
      if (enc) {
        out.add(Vectors.dense(row(ws.activation(layer), row, net.layers().get(layer).outputShape().size())));
      }
      if (rec) {
        int n = net.layers().size();
        out.add(Vectors.dense(row(ws.activation(n - 1), row, net.outputShape().size())));
      }
      return out.toArray();
    };
    return BlockScorer.score(dataset, getFeaturesCol(), core().spec(), bc, appended,
        BlockScorer.Outputs.keeping(enc ? layer : -1, outputs));
  }

  private static double[] row(float[] a, int row, int width) {
    double[] v = new double[width];
    for (int j = 0; j < width; j++) {
      v[j] = a[row * width + j];
    }
    return v;
  }

  @Override
  public AutoencoderModel copy(ParamMap extra) {
    return copyValues(new AutoencoderModel(uid, core), extra).setParent(parent());
  }

  @Override
  public MLWriter write() {
    return MlPersistence.writer(this, core());
  }

  public static MLReader<AutoencoderModel> read() {
    return MlPersistence.reader(AutoencoderModel.class, AutoencoderModel::new);
  }

  public static AutoencoderModel load(String path) {
    return read().load(path);
  }
}
