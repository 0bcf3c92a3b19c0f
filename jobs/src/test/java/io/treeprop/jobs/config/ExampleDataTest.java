package io.treeprop.jobs.config;

import static io.treeprop.jobs.config.ConfigFixtures.ROOT;
import static io.treeprop.jobs.config.ConfigFixtures.example;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.treeprop.core.model.NetworkSpec;
import io.treeprop.jobs.data.DataSource;
import io.treeprop.jobs.data.SourceData;
import io.treeprop.jobs.data.SourceSpec;
import io.treeprop.spark.LocalSpark;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sample data of the CSV and LIBSVM examples reads through the real data sources and fits their networks. */
@ExtendWith(LocalSpark.class)
class ExampleDataTest {
  @Test
  void regressionSampleHas300RowsOfFourFeaturesAndNumericTargets(SparkSession spark) {
    JobConfig c = example("regression.conf");
    SourceData d = DataSource.numericLabels(DataSource.read(spark, fromRoot(c.data().train())));
    assertEquals(300, d.rows());
    assertEquals(4, d.features());
    NetworkSpec net = c.network(d.features());
    assertEquals(1, net.compile().outputShape().size());
  }

  @Test
  void binarySampleHasTwoFeaturesAndOnlyLabelsZeroAndOne(SparkSession spark) {
    JobConfig c = example("binary.conf");
    SourceData train = DataSource.read(spark, fromRoot(c.data().train()));
    SourceData test = DataSource.read(spark, fromRoot(c.data().test()));
    assertEquals(List.of(400L, 100L), List.of(train.rows(), test.rows()));
    assertEquals(2, train.features());
    assertEquals(Set.of(0.0, 1.0), labels(train));
    assertEquals(1, c.network(train.features()).compile().outputShape().size());
  }

  private static SourceSpec fromRoot(SourceSpec s) {
    return new SourceSpec(s.format(), ROOT.resolve(s.path()).toString(), s.labelPath(), s.labelColumn(),
        s.featureColumns(), s.featuresColumn(), s.header(), s.format().equals(SourceSpec.CSV) ? s.delimiter() : null,
        s.numFeatures());
  }

  private static Set<Double> labels(SourceData d) {
    Set<Double> out = new TreeSet<>();
    for (Row r : d.frame().select(SourceData.LABEL).distinct().collectAsList()) {
      out.add(r.getDouble(0));
    }
    return out;
  }
}
