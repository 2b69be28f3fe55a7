package org.slt4j.spark;

import java.io.Serializable;
import org.deeplearning4j.optimize.listeners.Checkpoint;

/**
 * A checkpoint and its model zip, as a path or URI that the cluster's Hadoop reads; what a task is given.
 *
 * @param checkpoint its number, iteration and epoch
 * @param path       its model zip
 */
record CheckpointFile(Checkpoint checkpoint, String path) implements Serializable {
    long iteration() {
        return checkpoint.getIteration();
    }
}
