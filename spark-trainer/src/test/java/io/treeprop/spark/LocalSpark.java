package io.treeprop.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: one shared {@code local[2]} SparkSession per test class (UI off, Kryo with registration
 * required and our registrator, {@code OPENBLAS_NUM_THREADS=1} for the tasks, one task retry allowed so tests can
 * show a retried task recomputes the same gradient). Inject it as a {@code SparkSession} parameter.
 */
public final class LocalSpark implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(LocalSpark.class);

  /**
   * Turns Kryo's registration requirement off for a test class: Spark ML's own stages (StringIndexer's
   * OpenHashMap arrays, CrossValidator's ...) ship classes nobody registers. Treeprop's own paths are covered by
   * the classes that keep it on.
   */
  @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
  @java.lang.annotation.Target(java.lang.annotation.ElementType.TYPE)
  public @interface WithSparkMlStages {}

  @Override
  public void beforeAll(ExtensionContext context) {
    boolean strict = !context.getRequiredTestClass().isAnnotationPresent(WithSparkMlStages.class);
    SparkSession spark = SparkSession.builder()
        .master("local[2,2]")
        .appName(context.getRequiredTestClass().getSimpleName())
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.stage.maxConsecutiveAttempts", "1")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrationRequired", String.valueOf(strict))
        .config("spark.kryo.registrator", "io.treeprop.spark.serde.TreepropKryoRegistrator")
        .config("spark.executorEnv.OPENBLAS_NUM_THREADS", "1")
        .getOrCreate();
    spark.sparkContext().setLogLevel("WARN");
    context.getStore(NS).put(SparkSession.class, spark);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    SparkSession spark = context.getStore(NS).remove(SparkSession.class, SparkSession.class);
    if (spark != null) {
      spark.stop();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext p, ExtensionContext e) {
    return p.getParameter().getType() == SparkSession.class;
  }

  @Override
  public Object resolveParameter(ParameterContext p, ExtensionContext e) {
    return e.getStore(NS).get(SparkSession.class, SparkSession.class);
  }
}
