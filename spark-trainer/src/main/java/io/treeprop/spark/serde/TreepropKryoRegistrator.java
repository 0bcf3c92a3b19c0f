package io.treeprop.spark.serde;

import com.esotericsoftware.kryo.Kryo;
import io.treeprop.core.train.BatchStats;
import io.treeprop.spark.data.Block;
import io.treeprop.spark.train.StepAggregate;
import io.treeprop.spark.train.Weights;
import java.util.Comparator;
import java.util.ServiceLoader;
import org.apache.spark.ml.linalg.MatrixUDT;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.serializer.KryoRegistrator;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType$;
import org.apache.spark.sql.types.BooleanType$;
import org.apache.spark.sql.types.ByteType$;
import org.apache.spark.sql.types.FloatType$;
import org.apache.spark.sql.types.MapType;
import org.apache.spark.sql.types.NullType$;
import org.apache.spark.sql.types.ShortType$;
import org.apache.spark.sql.types.TimestampNTZType$;
import org.apache.spark.sql.types.TimestampType$;

/**
 * Registers every class Treeprop ships through Spark's serializer, so that it runs with
 * {@code spark.kryo.registrationRequired=true}: {@code spark.kryo.registrator=io.treeprop.spark.serde.TreepropKryoRegistrator}.
 * Then it calls every {@link KryoRegistrations} on the class path, ordered by class name: Kryo numbers classes in
 * registration order, so the order must not depend on how a JVM's class path happens to list the jars.
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
    kryo.register(byte[][].class);
    registerSchemaTypes(kryo);
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    ServiceLoader.load(KryoRegistrations.class, loader == null ? getClass().getClassLoader() : loader).stream()
        .map(ServiceLoader.Provider::get)
        .sorted(Comparator.comparing(r -> r.getClass().getName()))
        .forEach(r -> r.registerClasses(kryo));
  }

  /**
   * Spark SQL types that a Parquet file's schema can hold and Spark 3.5 does not register itself: Spark infers a
   * Parquet schema with a job whose tasks return each file's {@code StructType} through the serializer, so
   * without these a float, short, byte, boolean, binary, timestamp, array, map or vector column fails the read
   * with "Class is not registered".
   */
  private static void registerSchemaTypes(Kryo kryo) {
    kryo.register(ByteType$.class);
    kryo.register(ShortType$.class);
    kryo.register(FloatType$.class);
    kryo.register(BooleanType$.class);
    kryo.register(BinaryType$.class);
    kryo.register(NullType$.class);
    kryo.register(TimestampType$.class);
    kryo.register(TimestampNTZType$.class);
    kryo.register(ArrayType.class);
    kryo.register(MapType.class);
    kryo.register(VectorUDT.class);
    kryo.register(MatrixUDT.class);
  }
}
