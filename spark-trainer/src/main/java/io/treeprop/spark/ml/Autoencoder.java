package io.treeprop.spark.ml;

import io.treeprop.core.layer.ActivationFunction;
import io.treeprop.core.layer.LayerSpec;
import io.treeprop.core.layer.NoiseLayer;
import io.treeprop.core.loss.Loss;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.types.StructType;

/**
 * An autoencoder: the encoder is the dense layers of {@code hiddenLayers} (the last one is the bottleneck), the
 * decoder mirrors them back to the input size; trained to reconstruct its input with {@code mse}. With
 * {@code noise} it is a denoising autoencoder: inputs are corrupted while training, the target stays clean.
 *
 * <pre>Hinton &amp; Salakhutdinov, "Reducing the Dimensionality of Data with Neural Networks", Science 2006;
 * Vincent et al., "Extracting and Composing Robust Features with Denoising Autoencoders", ICML 2008</pre>
 */
public final class Autoencoder extends Estimator<AutoencoderModel>
    implements AutoencoderParams, DefaultParamsWritable, Setters<Autoencoder> {
  private static final long serialVersionUID = 1L;
  /** Core-model metadata key holding the index of the bottleneck activation layer. */
  static final String ENCODING_LAYER = "encodingLayer";

  private final String uid;
  private final ParamDefs defs;
  private final Defs aeDefs;

  public Autoencoder() {
    this(Identifiable$.MODULE$.randomUID("treepropAutoencoder"));
  }

  public Autoencoder(String uid) {
    this.uid = uid;
    this.defs = new ParamDefs(this);
    this.aeDefs = new Defs(this);
    defs.setDefaults(this, "mse", new int[] {64, 16});
    aeDefs.setDefaults(this);
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

  @Override
  public Autoencoder self() {
    return this;
  }

  public Autoencoder setFeaturesCol(String v) {
    set(featuresCol(), v);
    return this;
  }

  public Autoencoder setEncodingCol(String v) {
    set(encodingCol(), v);
    return this;
  }

  public Autoencoder setReconstructionCol(String v) {
    set(reconstructionCol(), v);
    return this;
  }

  /** {@code none}, {@code gaussian} or {@code masking}, with its level. */
  public Autoencoder setNoise(String kind, double level) {
    set(noise(), kind);
    set(noiseLevel(), level);
    return this;
  }

  public Autoencoder setOutputActivation(String v) {
    set(outputActivation(), v);
    return this;
  }

  @Override
  public AutoencoderModel fit(Dataset<?> dataset) {
    transformSchema(dataset.schema());
    Loss loss = Training.loss(getLoss());
    if (loss.task() != Loss.Task.REGRESSION) {
      throw new IllegalArgumentException("loss \"" + getLoss() + "\" cannot train an autoencoder; use mse, mae "
          + "or smooth_l1");
    }
    int d = Columns.numFeatures(dataset, getFeaturesCol());
    NetworkSpec spec = network(d);
    int encodingLayer = encodingLayer(spec);
    Model core = Training.fit(this, dataset, getFeaturesCol(), getFeaturesCol(), spec, loss);
    core = core.with(core.summary(), Map.of(ENCODING_LAYER, encodingLayer));
    return copyValues(new AutoencoderModel(uid, core), ParamMap.empty()).setParent(this);
  }

  public Autoencoder setEncodingLayer(int v) {
    set(encodingLayer(), v);
    return this;
  }

  /**
   * The user's {@code networkSpec} (any layers, convolutional ones included, whose output has the input's size),
   * or: noise (optional), the dense encoder of {@code hiddenLayers}, the mirrored decoder, the output activation.
   */
  NetworkSpec network(int d) {
    if (!getNetworkSpec().isBlank()) {
      if (!getNoise().equals("none")) {
        throw new IllegalArgumentException("noise (" + getNoise() + ") builds a noise layer into the hiddenLayers "
            + "network; with networkSpec put a {\"type\": \"noise\"} layer in the spec instead");
      }
      NetworkSpec spec = NetworkSpecs.network(this, d, getFeaturesCol());
      int out = spec.compile().outputShape().size();
      if (out != d) {
        throw new IllegalArgumentException("networkSpec reconstructs " + out + " values; an autoencoder of the \""
            + getFeaturesCol() + "\" column needs " + d);
      }
      return spec;
    }
    NetworkSpec spec = NetworkSpec.input(d);
    if (!getNoise().equals("none") && getNoiseLevel() > 0) {
      spec = spec.add(new LayerSpec.Noise(NoiseLayer.Kind.valueOf(getNoise().toUpperCase(Locale.ROOT)),
          (float) getNoiseLevel()));
    }
    ActivationFunction act = ActivationFunction.valueOf(getActivation().toUpperCase(Locale.ROOT));
    int[] h = getHiddenLayers();
    for (int size : h) {
      spec = spec.dense(size).activation(act);
    }
    for (int i = h.length - 2; i >= 0; i--) {
      spec = spec.dense(h[i]).activation(act);
    }
    spec = spec.dense(d);
    return getOutputActivation().equals("sigmoid") ? spec.sigmoid() : spec;
  }

  /**
   * Index of the layer whose output is the encoding: the bottleneck's activation for {@code hiddenLayers}; for a
   * {@code networkSpec}, {@code encodingLayer}, or the narrowest layer (the last of its run of equal widths).
   */
  int encodingLayer(NetworkSpec spec) {
    if (getNetworkSpec().isBlank()) {
      int offset = spec.layers().get(0) instanceof LayerSpec.Noise ? 1 : 0;
      return offset + 2 * getHiddenLayers().length - 1;
    }
    List<Integer> widths = new ArrayList<>();
    for (var layer : spec.compile().layers()) {
      widths.add(layer.outputShape().size());
    }
    if (widths.size() < 2) {
      throw new IllegalArgumentException("networkSpec has " + widths.size() + " layer; an autoencoder needs an "
          + "encoder and a decoder");
    }
    int chosen = getEncodingLayer();
    if (chosen >= widths.size() - 1) {
      throw new IllegalArgumentException("encodingLayer (" + chosen + ") must be below the last layer's index ("
          + (widths.size() - 1) + "): the last layer is the reconstruction");
    }
    if (chosen >= 0) {
      return chosen;
    }
    int last = widths.size() - 1;
    int min = widths.subList(0, last).stream().mapToInt(Integer::intValue).min().orElseThrow();
    int best = widths.indexOf(min);
    while (best + 1 < last && widths.get(best + 1) == min) {
      best++; // dense(2) then relu: the encoding is the activation's output
    }
    return best;
  }

  @Override
  public StructType transformSchema(StructType schema) {
    Columns.requireVector(schema, getFeaturesCol(), "features");
    NetworkSpecs.check(this, schema, getFeaturesCol());
    return AutoencoderModel.outputSchema(schema, this, -1, -1);
  }

  @Override
  public Autoencoder copy(ParamMap extra) {
    return defaultCopy(extra);
  }

  public static MLReader<Autoencoder> read() {
    return new DefaultParamsReader<>();
  }

  public static Autoencoder load(String path) {
    return read().load(path);
  }
}
