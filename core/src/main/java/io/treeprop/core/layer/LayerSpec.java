package io.treeprop.core.layer;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.treeprop.core.init.Initializer;
import io.treeprop.core.tensor.Shape;

/**
 * The serializable description of a layer; {@link #compile} turns it into a {@link Layer} for a given input
 * shape. Specs are values: they round-trip through JSON ({@code {"type": "dense", "units": 256}}) and validate
 * themselves on construction.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = LayerSpec.Dense.class, name = "dense"),
    @JsonSubTypes.Type(value = LayerSpec.Activation.class, name = "activation"),
    @JsonSubTypes.Type(value = LayerSpec.Dropout.class, name = "dropout"),
    @JsonSubTypes.Type(value = LayerSpec.Noise.class, name = "noise"),
    @JsonSubTypes.Type(value = Conv2dSpec.class, name = "conv2d"),
    @JsonSubTypes.Type(value = PoolSpec.MaxPool2d.class, name = "max_pool2d"),
    @JsonSubTypes.Type(value = PoolSpec.AvgPool2d.class, name = "avg_pool2d"),
    @JsonSubTypes.Type(value = PoolSpec.GlobalAvgPool.class, name = "global_avg_pool"),
    @JsonSubTypes.Type(value = PoolSpec.Flatten.class, name = "flatten"),
    @JsonSubTypes.Type(value = BatchNormSpec.class, name = "batch_norm"),
    @JsonSubTypes.Type(value = ResidualSpec.class, name = "residual"),
    @JsonSubTypes.Type(value = Conv2dTransposeSpec.class, name = "conv2d_transpose"),
    @JsonSubTypes.Type(value = PoolSpec.Upsample.class, name = "upsample"),
})
@JsonInclude(JsonInclude.Include.NON_NULL)
public sealed interface LayerSpec permits LayerSpec.Dense, LayerSpec.Activation, LayerSpec.Dropout,
    LayerSpec.Noise, Conv2dSpec, PoolSpec.MaxPool2d, PoolSpec.AvgPool2d, PoolSpec.GlobalAvgPool, PoolSpec.Flatten, BatchNormSpec,
    ResidualSpec, Conv2dTransposeSpec, PoolSpec.Upsample {
  /**
   * Compiles this spec for an input shape.
   *
   * @param next the first spec after this one that is not {@linkplain #transparentToInit() transparent to the
   *     initializer rule}, or null (weight layers pick their default initializer from it)
   */
  Layer compile(Shape input, LayerSpec next);

  /**
   * True for layers without weights that sit between a weight layer and its activation without changing which
   * initializer fits it: dropout, noise, pooling, flatten, upsampling, batch norm. {@code conv2d → batch_norm → relu} gets He.
   */
  default boolean transparentToInit() {
    return false;
  }

  /**
   * The initializer of a weight layer: {@code given}, or He (normal) when {@code next} is a ReLU-family activation,
   * Xavier (uniform) otherwise.
   */
  static Initializer weightInit(Initializer given, LayerSpec next) {
    if (given != null) {
      return given;
    }
    return next instanceof Activation a && a.function().rectifier()
        ? new Initializer.HeNormal() : new Initializer.XavierUniform();
  }

  /**
   * Fully connected layer {@code y = x·W + b}, {@code W: [in, out]}.
   *
   * @param init weight initializer; null picks He for a following ReLU-family activation, Xavier otherwise
   * @param bias whether to add a bias (default true)
   */
  record Dense(int units, Initializer init, Boolean bias) implements LayerSpec {
    public Dense {
      if (units <= 0) {
        throw new IllegalArgumentException("dense.units (" + units + ") must be a positive integer");
      }
    }

    public Dense(int units) {
      this(units, null, null);
    }

    /** Whether a bias is added (default true). */
    public boolean hasBias() {
      return bias == null || bias;
    }

    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new DenseLayer(input, units, weightInit(init, next), hasBias());
    }
  }

  /**
   * An activation function applied element-wise (softmax: per row).
   *
   * @param alpha slope for leaky ReLU, saturation for ELU; null for the default; must be null for the others
   */
  record Activation(ActivationFunction function, Float alpha) implements LayerSpec {
    public Activation {
      if (function == null) {
        throw new IllegalArgumentException("activation.function is required; one of sigmoid, tanh, relu, "
            + "leaky_relu, elu, softplus, identity, softmax, sign, step");
      }
      if (alpha != null) {
        if (function != ActivationFunction.LEAKY_RELU && function != ActivationFunction.ELU) {
          throw new IllegalArgumentException("activation.alpha is only for leaky_relu and elu, not "
              + function.jsonName());
        }
        if (!Float.isFinite(alpha) || alpha < 0) {
          throw new IllegalArgumentException("activation.alpha (" + alpha + ") must be a finite number >= 0");
        }
      }
    }

    public Activation(ActivationFunction function) {
      this(function, null);
    }

    /** The alpha in force. */
    public float effectiveAlpha() {
      return alpha != null ? alpha : function.defaultAlpha();
    }

    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new ActivationLayer(input, function, effectiveAlpha());
    }
  }

  /**
   * Inverted dropout: in training each unit is zeroed with probability {@code rate} and the survivors scaled by
   * {@code 1/(1-rate)}; inference is the identity. Masks are a pure function of the pass seed.
   *
   * <pre>Srivastava et al., "Dropout: A Simple Way to Prevent Neural Networks from Overfitting", JMLR 2014</pre>
   */
  record Dropout(float rate) implements LayerSpec {
    public Dropout {
      if (!(rate >= 0 && rate < 1)) {
        throw new IllegalArgumentException("dropout.rate (" + rate + ") must be in [0, 1)");
      }
    }

    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new DropoutLayer(input, rate);
    }

    @Override
    public boolean transparentToInit() {
      return true;
    }
  }

  /**
   * Input corruption for denoising autoencoders, active in training only (identity in inference): {@code gaussian}
   * adds N(0, amount²) to every value; {@code masking} sets a random {@code amount} fraction of the values to 0
   * (no rescaling, unlike dropout). Corruption is a pure function of the pass seed.
   *
   * <pre>Vincent, Larochelle, Bengio, Manzagol, "Extracting and Composing Robust Features with Denoising
   * Autoencoders", ICML 2008</pre>
   */
  record Noise(NoiseLayer.Kind kind, float amount) implements LayerSpec {
    public Noise {
      if (kind == null) {
        throw new IllegalArgumentException("noise.kind is required: gaussian or masking");
      }
      if (!(amount >= 0) || !Float.isFinite(amount) || (kind == NoiseLayer.Kind.MASKING && amount >= 1)) {
        throw new IllegalArgumentException("noise.amount (" + amount + ") must be "
            + (kind == NoiseLayer.Kind.MASKING ? "in [0, 1) for masking" : "a finite standard deviation >= 0"));
      }
    }

    @Override
    public Layer compile(Shape input, LayerSpec next) {
      return new NoiseLayer(input, kind, amount);
    }

    @Override
    public boolean transparentToInit() {
      return true;
    }
  }
}
