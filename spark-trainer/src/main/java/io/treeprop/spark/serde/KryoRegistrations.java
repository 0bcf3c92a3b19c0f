package io.treeprop.spark.serde;

import com.esotericsoftware.kryo.Kryo;

/**
 * Classes that a module built on the trainer (the jobs, a user's extension) ships through Spark's serializer —
 * e.g. an accumulator returned by {@code treeAggregate}. An implementation is listed in
 * {@code META-INF/services/io.treeprop.spark.serde.KryoRegistrations}; {@link TreepropKryoRegistrator} calls every
 * one found, so {@code spark.kryo.registrator} keeps naming a single class and
 * {@code spark.kryo.registrationRequired=true} keeps working.
 */
public interface KryoRegistrations {
  /** Registers this module's classes. Must register the same classes in the same order on every JVM. */
  void registerClasses(Kryo kryo);
}
