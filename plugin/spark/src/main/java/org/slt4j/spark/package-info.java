/**
 * slt4j's computations distributed on Apache Spark. Today: the checkpoint curve of {@code slt4j checkpoints}
 * ({@link org.slt4j.spark.SparkCheckpoints}, a main for {@code spark-submit}), one checkpoint per task, with the
 * same records and the same numbers as the command line when the LLC step size and localization are given.
 * See docs/spark.md.
 */
package org.slt4j.spark;
