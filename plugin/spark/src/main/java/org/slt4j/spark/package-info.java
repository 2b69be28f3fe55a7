/**
 * slt4j's computations distributed on Apache Spark: the checkpoint curve of {@code slt4j checkpoints}
 * ({@link org.slt4j.spark.SparkCheckpoints}, a main for {@code spark-submit}; {@link org.slt4j.spark.SparkCurve} for
 * a program whose data is an RDD of DataSets), one checkpoint or one SGLD chain per task, with the command line's
 * records and numbers. See docs/spark.md.
 */
package org.slt4j.spark;
