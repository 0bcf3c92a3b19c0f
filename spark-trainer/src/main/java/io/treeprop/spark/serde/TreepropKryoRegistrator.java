package io.treeprop.spark.serde;

import com.esotericsoftware.kryo.Kryo;
import io.treeprop.core.train.BatchStats;
import io.treeprop.spark.data.Block;
import io.treeprop.spark.train.StepAggregate;
import io.treeprop.spark.train.Weights;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers every class Treeprop ships through Spark's serializer, so that it runs with
 * {@code spark.kryo.registrationRequired=true}: {@code spark.kryo.registrator=io.treeprop.spark.serde.TreepropKryoRegistrator}.
 */
public final class TreepropKryoRegistrator implements KryoRegistrator {
  @Override
  public void registerClasses(Kryo kryo) {
    kryo.register(Block.class);
    kryo.register(Block.Summary.class);
    kryo.register(Block.Summary[].class);
    kryo.register(Weights.class);
    kryo.register(StepAggregate.class);
    kryo.register(BatchStats.class);
    kryo.register(float[].class);
    kryo.register(double[].class);
    kryo.register(float[][].class);
  }
}
