/**
 * slt4j records in DL4J StatsStorage: the {@link org.slt4j.report.storage.StoredRecord} Persistable type (one
 * DL4J TypeID per record type, see {@link org.slt4j.report.RecordType#typeId()}; one record or a batch of records of
 * one type per stored update) and the {@link org.slt4j.report.storage.StatsStorageSink} that posts records to any
 * StatsStorageRouter (InMemoryStatsStorage, FileStatsStorage, RemoteUIStatsStorageRouter), the loss and metrics in
 * batches. Read a stored run back with
 * {@link org.slt4j.report.storage.StoredRun#read}. This package depends on {@code org.slt4j.report}, never the
 * other way round.
 */
package org.slt4j.report.storage;
