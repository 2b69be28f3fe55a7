package org.slt4j.symmetry;

import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What the analysis of one layer needs, extracted from a private copy of the network (so nothing here aliases
 * the scanned network).
 *
 * @param name                      layer name
 * @param index                     layer or vertex index
 * @param type                      configuration class simple name
 * @param activation                the layer's activation
 * @param incoming                  units x fanIn incoming weights, bias excluded
 * @param bias                      the biases (length units), null when the layer has none
 * @param activeFractions           per unit, fraction of probe positions with positive output
 * @param outgoing                  units x nOut outgoing weights, null when unknown
 * @param outgoingUnavailableReason why {@code outgoing} is null
 * @param consumer                  the name of the layer reading the outgoing weights, null when unknown
 * @param consumerUnits             the number of units of that consumer
 * @param constantFoldsIntoBias     a constant unit's contribution can be absorbed by the consumer's bias
 * @param consumerHasBias           the consumer has a bias
 * @param parameters                the layer's number of parameters
 */
record LayerView(String name, int index, String type, IActivation activation, INDArray incoming, INDArray bias,
                 double[] activeFractions, INDArray outgoing, String outgoingUnavailableReason, String consumer,
                 long consumerUnits, boolean constantFoldsIntoBias, boolean consumerHasBias, long parameters) {
}
