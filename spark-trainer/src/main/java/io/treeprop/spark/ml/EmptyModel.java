package io.treeprop.spark.ml;

import io.treeprop.core.model.Model;

/**
 * The guard of the models' no-argument constructors. Spark Connect ML lists the estimators and models it can
 * serve by instantiating every class registered in {@code META-INF/services/org.apache.spark.ml.Estimator} and
 * {@code ...Transformer} ({@code java.util.ServiceLoader}), so each model has a public no-argument constructor
 * that makes it without a network; using such a model is a clear error, not a null pointer.
 */
final class EmptyModel {
  private EmptyModel() {}

  /** {@code core}, or an error naming the model's class and the estimator that makes a usable one. */
  static Model require(Model core, Object model, String estimator) {
    if (core == null) {
      throw new IllegalStateException("this " + model.getClass().getSimpleName() + " has no network (made by the "
          + "no-argument constructor for ServiceLoader discovery, or deserialized in a task): fit " + estimator
          + " or load a saved model");
    }
    return core;
  }
}
