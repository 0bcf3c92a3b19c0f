package io.treeprop.spark.ml;

import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;

/** Params of {@link Autoencoder} and {@link AutoencoderModel} beyond the shared ones. */
public interface AutoencoderParams extends NeuralNetParams {
  /** The param objects of this instance. */
  Defs aeDefs();

  /** The autoencoder-only params, defined once. */
  final class Defs implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    final Param<String> featuresCol;
    final Param<String> encodingCol;
    final Param<String> reconstructionCol;
    final Param<String> noise;
    final DoubleParam noiseLevel;
    final Param<String> outputActivation;
    final IntParam encodingLayer;

    Defs(Params owner) {
      String uid = owner.uid();
      featuresCol = new Param<>(uid, "featuresCol", "vector column to encode", ParamDefs.valid(
          s -> s != null && !s.isBlank()));
      encodingCol = new Param<>(uid, "encodingCol", "output column of the bottleneck activations; empty to skip",
          ParamDefs.valid(s -> s != null));
      reconstructionCol = new Param<>(uid, "reconstructionCol", "output column of the reconstruction; empty to "
          + "skip", ParamDefs.valid(s -> s != null));
      noise = new Param<>(uid, "noise", "input corruption while training (denoising): none, gaussian (adds "
          + "N(0, noiseLevel²)) or masking (zeroes a noiseLevel fraction)", ParamValidators.inArray(
              new String[] {"none", "gaussian", "masking"}));
      noiseLevel = new DoubleParam(uid, "noiseLevel", "standard deviation (gaussian) or fraction (masking, < 1)",
          ParamValidators.gtEq(0));
      outputActivation = new Param<>(uid, "outputActivation", "activation of the reconstruction: identity, or "
          + "sigmoid for inputs in [0, 1]", ParamValidators.inArray(new String[] {"identity", "sigmoid"}));
      encodingLayer = new IntParam(uid, "encodingLayer", "with networkSpec: the index of the layer whose output "
          + "is the encoding; -1 picks the narrowest layer (the last of its run of equal widths, so an activation "
          + "after the bottleneck counts)", ParamValidators.gtEq(-1));
    }

    void setDefaults(Params owner) {
      owner.setDefault(featuresCol, "features");
      owner.setDefault(encodingCol, "encoding");
      owner.setDefault(reconstructionCol, "reconstruction");
      owner.setDefault(noise, "none");
      owner.setDefault(noiseLevel, 0.0);
      owner.setDefault(outputActivation, "identity");
      owner.setDefault(encodingLayer, -1);
    }
  }

  default Param<String> featuresCol() {
    return aeDefs().featuresCol;
  }

  default Param<String> encodingCol() {
    return aeDefs().encodingCol;
  }

  default Param<String> reconstructionCol() {
    return aeDefs().reconstructionCol;
  }

  default Param<String> noise() {
    return aeDefs().noise;
  }

  default DoubleParam noiseLevel() {
    return aeDefs().noiseLevel;
  }

  default Param<String> outputActivation() {
    return aeDefs().outputActivation;
  }

  default IntParam encodingLayer() {
    return aeDefs().encodingLayer;
  }

  default int getEncodingLayer() {
    return (Integer) getOrDefault(encodingLayer());
  }

  default String getFeaturesCol() {
    return getOrDefault(featuresCol());
  }

  default String getEncodingCol() {
    return getOrDefault(encodingCol());
  }

  default String getReconstructionCol() {
    return getOrDefault(reconstructionCol());
  }

  default String getNoise() {
    return getOrDefault(noise());
  }

  default double getNoiseLevel() {
    return (Double) getOrDefault(noiseLevel());
  }

  default String getOutputActivation() {
    return getOrDefault(outputActivation());
  }
}
