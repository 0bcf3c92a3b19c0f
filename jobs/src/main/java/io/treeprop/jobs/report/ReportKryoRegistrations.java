package io.treeprop.jobs.report;

import com.esotericsoftware.kryo.Kryo;
import io.treeprop.spark.serde.KryoRegistrations;

/**
 * Registers the evaluation accumulators with Kryo: they are the partial results of the evaluate command's
 * {@code treeAggregate}. Found through {@code META-INF/services} by
 * {@link io.treeprop.spark.serde.TreepropKryoRegistrator}.
 */
public final class ReportKryoRegistrations implements KryoRegistrations {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(ConfusionMatrix.class);
    kryo.register(RegressionStats.class);
    kryo.register(long[].class);
  }
}
