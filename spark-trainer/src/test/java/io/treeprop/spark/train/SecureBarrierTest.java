package io.treeprop.spark.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.treeprop.core.loss.Losses;
import io.treeprop.core.model.Model;
import io.treeprop.core.model.NetworkSpec;
import io.treeprop.core.optim.Optimizers;
import io.treeprop.core.optim.Updater;
import io.treeprop.core.train.TrainConfig;
import io.treeprop.spark.TestData;
import io.treeprop.spark.data.InputColumns;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * With Spark's authentication and network encryption on, the barrier exchange stays available (it used to be
 * refused, leaving the slow tree exchange) and runs over TCP sealed with a key from Spark's secret, giving the
 * tree exchange's weights bit for bit.
 */
class SecureBarrierTest {
  private static final NetworkSpec SPEC = NetworkSpec.input(6).dense(16).relu().dense(3).softmax();
  private static SparkSession spark;

  @BeforeAll
  static void start() {
    spark = SparkSession.builder().master("local[2]").appName("SecureBarrierTest")
        .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
        .config("spark.authenticate", "true").config("spark.authenticate.secret", "test-secret-1f3a")
        .config("spark.network.crypto.enabled", "true")
        .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrator", "io.treeprop.spark.serde.TreepropKryoRegistrator")
        .config(BarrierExchange.FORCE_TCP, "true").getOrCreate();
  }

  @AfterAll
  static void stop() {
    spark.stop();
  }

  private static Model fit(Exchange exchange) {
    Dataset<Row> df = TestData.blobs(spark, 400, 6, 2, 3);
    TrainConfig tc = new TrainConfig(3, 40, 1, new Updater(new Optimizers.Adam(0.01f)), 0.2, null);
    return new SparkTrainer(SparkTrainConfig.of(tc).withExchange(exchange)).fit(SPEC,
        new Losses.CategoricalCrossEntropy(), df, null, InputColumns.defaults());
  }

  @Test
  void theSealedBarrierExchangeRunsUnderEncryptionWithTheTreeExchangesWeights() {
    assertNull(BarrierExchange.unsupported(spark.sparkContext(), 2), "encryption with authentication is allowed");
    assertNotNull(Sealing.fromSpark(1L), "the driver derives a run key from Spark's secret");
    // exchange barrier fails rather than falling back, so this run did go through the sealed channel
    assertArrayEquals(fit(Exchange.TREE).params(), fit(Exchange.BARRIER).params(), 0f);
  }
}
