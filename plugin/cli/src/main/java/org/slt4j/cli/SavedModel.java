package org.slt4j.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.shade.jackson.databind.exc.InvalidTypeIdException;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.MultiDataSet;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;
import org.nd4j.linalg.dataset.api.preprocessor.Normalizer;
import org.slt4j.surface.LossSurface;
import org.slt4j.surface.NetworkSurfaces;
import org.slt4j.symmetry.SymmetryScanner;
import org.slt4j.symmetry.SymmetrySnapshot;

/**
 * A model saved with DL4J's {@code ModelSerializer} (a MultiLayerNetwork or a single-input, single-output
 * ComputationGraph), with the normalizer stored in the same zip if there is one. Knows how to turn CSV data into
 * what the model consumes, and rejects data that does not fit it before any sampling starts.
 */
final class SavedModel {
    private final Path file;
    private final MultiLayerNetwork network;
    private final ComputationGraph graph;
    private final DataNormalization normalizer;

    private SavedModel(Path file, MultiLayerNetwork network, ComputationGraph graph, DataNormalization normalizer) {
        this.file = file;
        this.network = network;
        this.graph = graph;
        this.normalizer = normalizer;
    }

    /**
     * Loads a model zip, telling a MultiLayerNetwork from a ComputationGraph by its configuration.
     *
     * @throws BadInputException if the file is missing, not a zip, not written by ModelSerializer, or corrupt
     */
    static SavedModel load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new BadInputException("model file not found: " + file);
        }
        boolean isGraph;
        boolean hasNormalizer;
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry configuration = zip.getEntry(ModelSerializer.CONFIGURATION_JSON);
            if (configuration == null) {
                throw new BadInputException("model file " + file + " is not a DL4J model: it has no "
                        + ModelSerializer.CONFIGURATION_JSON + " (save models with ModelSerializer)");
            }
            isGraph = isGraphConfiguration(file, zip, configuration);
            hasNormalizer = zip.getEntry(ModelSerializer.NORMALIZER_BIN) != null;
        } catch (ZipException e) {
            throw new BadInputException("model file " + file + " is not a zip archive (corrupt or not a DL4J model)",
                    e);
        } catch (IOException e) {
            throw new BadInputException("could not read model file " + file + ": " + BadInputException.reason(e), e);
        }
        try {
            MultiLayerNetwork network = null;
            ComputationGraph graph = null;
            try (InputStream in = open(file)) {
                if (isGraph) {
                    graph = ModelSerializer.restoreComputationGraph(in, false);
                } else {
                    network = ModelSerializer.restoreMultiLayerNetwork(in, false);
                }
            }
            if (graph != null && (graph.getNumInputArrays() != 1 || graph.getNumOutputArrays() != 1)) {
                throw new BadInputException(String.format("model file %s is a ComputationGraph with %d inputs and %d"
                        + " outputs; the command line takes graphs with exactly one input and one output, which one"
                        + " CSV file feeds (the Java API, NetworkSurfaces.of, takes any number)", file,
                        graph.getNumInputArrays(), graph.getNumOutputArrays()));
            }
            DataNormalization normalizer = hasNormalizer ? restoreNormalizer(file) : null;
            return new SavedModel(file, network, graph, normalizer);
        } catch (BadInputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            String unknown = unknownType(e);
            if (unknown != null) {
                throw new BadInputException("model file " + file + " names " + unknown + ", which this DL4J"
                        + " version does not know: it was probably saved by a newer DL4J; save it with this version,"
                        + " or with layers this version has", e);
            }
            throw new BadInputException("model file " + file + " is corrupt: " + BadInputException.reason(e), e);
        }
    }

    /**
     * The class a configuration names that this DL4J cannot resolve (Jackson's unknown type id, somewhere in the
     * causes of the failure), or null when the failure is something else.
     */
    private static String unknownType(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof InvalidTypeIdException invalid) {
                return invalid.getTypeId() != null ? invalid.getTypeId() : "a type";
            }
        }
        return null;
    }

    private static boolean isGraphConfiguration(Path file, ZipFile zip, ZipEntry entry) throws IOException {
        JsonObject json;
        try (InputStreamReader reader = new InputStreamReader(zip.getInputStream(entry), StandardCharsets.UTF_8)) {
            JsonElement parsed = JsonParser.parseReader(reader);
            if (!parsed.isJsonObject()) {
                throw new BadInputException("model file " + file + " has an invalid configuration.json");
            }
            json = parsed.getAsJsonObject();
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadInputException("model file " + file + " has an unreadable configuration.json: "
                    + BadInputException.reason(e), e);
        }
        if (json.has("vertices")) {
            return true;
        }
        if (json.has("confs")) {
            return false;
        }
        throw new BadInputException("model file " + file
                + " holds neither a MultiLayerNetwork nor a ComputationGraph configuration");
    }

    private static DataNormalization restoreNormalizer(Path file) throws IOException {
        Normalizer<?> normalizer;
        try (InputStream in = open(file)) {
            normalizer = ModelSerializer.restoreNormalizerFromInputStream(in);
        }
        if (!(normalizer instanceof DataNormalization)) {
            throw new BadInputException("model file " + file + " holds a normalizer of an unsupported type "
                    + normalizer.getClass().getSimpleName() + " (need a DataNormalization)");
        }
        return (DataNormalization) normalizer;
    }

    private static InputStream open(Path file) throws IOException {
        return new BufferedInputStream(Files.newInputStream(file));
    }

    /** The file the model was loaded from. */
    Path file() {
        return file;
    }

    /** "MultiLayerNetwork" or "ComputationGraph". */
    String kind() {
        return network != null ? "MultiLayerNetwork" : "ComputationGraph";
    }

    /** Number of parameters d. */
    long parameters() {
        return network != null ? network.numParams() : graph.numParams();
    }

    /** The network itself (a MultiLayerNetwork or a ComputationGraph). */
    Model model() {
        return network != null ? network : graph;
    }

    /**
     * Checks that every name (or index) names a layer with parameters.
     *
     * @throws BadInputException if one does not
     */
    void checkLayers(List<String> names) {
        for (String name : names) {
            try {
                if (network != null) {
                    NetworkSurfaces.layerRange(network, name);
                } else {
                    NetworkSurfaces.layerRange(graph, name);
                }
            } catch (IllegalArgumentException e) {
                throw new BadInputException("invalid layer for --layer-llc: " + BadInputException.reason(e), e);
            }
        }
    }

    /** Number of layers. */
    int layers() {
        return network != null ? network.getnLayers() : graph.getNumLayers();
    }

    /**
     * The model's score (mean loss plus regularization, as DL4J reports it) on prepared data, in test mode.
     *
     * @throws BadInputException if the model has no loss (see {@link #surface})
     */
    double score(DataSet prepared) {
        checkLoss();
        return network != null ? network.score(prepared, false) : graph.score(prepared, false);
    }

    /** Whether the zip held a normalizer, which {@link #prepare} applies. */
    boolean hasNormalizer() {
        return normalizer != null;
    }

    /**
     * The data as the model consumes it: normalized with the model's normalizer (if any), in the model's data
     * type, checked to fit by a forward pass of one example.
     *
     * @throws BadInputException if the number of feature or label columns does not fit the model
     */
    DataSet prepare(DataSet data) {
        DataSet prepared = data.copy();
        if (normalizer != null) {
            normalizer.preProcess(prepared);
        }
        DataType type = network != null ? network.getLayerWiseConfigurations().getDataType()
                : graph.getConfiguration().getDataType();
        prepared = new DataSet(prepared.getFeatures().castTo(type), prepared.getLabels().castTo(type));
        checkFits(prepared);
        return prepared;
    }

    private void checkFits(DataSet data) {
        long features = data.getFeatures().size(1);
        long labels = data.getLabels().size(1);
        long expectedFeatures = expectedFeatures();
        if (expectedFeatures > 0 && expectedFeatures != features) {
            throw new BadInputException(String.format("data does not fit the model: the CSV has %d feature columns,"
                    + " the model's input layer takes %d", features, expectedFeatures));
        }
        INDArray output;
        try {
            INDArray one = data.getFeatures().getRow(0, true).dup();
            output = network != null ? network.output(one, false) : graph.output(false, one)[0];
        } catch (RuntimeException e) {
            throw new BadInputException("data does not fit the model: a forward pass of the first row failed: "
                    + BadInputException.reason(e), e);
        }
        if (output.rank() != 2 || output.size(1) != labels) {
            throw new BadInputException(String.format("data does not fit the model: its output has shape %s per"
                    + " example, the CSV gives %d label values (check --classes/--targets)",
                    Arrays.toString(Arrays.copyOfRange(output.shape(), 1, output.rank())), labels));
        }
    }

    /** The input width the first layer declares, or 0 when it is not a plain feed-forward input. */
    private long expectedFeatures() {
        Layer first;
        if (network != null) {
            if (network.getLayerWiseConfigurations().getInputPreProcess(0) != null) {
                return 0;
            }
            first = network.getLayerWiseConfigurations().getConf(0).getLayer();
        } else {
            String input = graph.getConfiguration().getNetworkInputs().get(0);
            first = graph.getConfiguration().getVertexInputs().entrySet().stream()
                    .filter(e -> e.getValue().equals(List.of(input)))
                    .map(e -> graph.getConfiguration().getVertices().get(e.getKey()))
                    .filter(v -> v instanceof LayerVertex && ((LayerVertex) v).getPreProcessor() == null)
                    .map(v -> ((LayerVertex) v).getLayerConf().getLayer()).findFirst().orElse(null);
        }
        return first instanceof FeedForwardLayer ? ((FeedForwardLayer) first).getNIn() : 0;
    }

    /**
     * The loss surface of the model on prepared data.
     *
     * @throws BadInputException if the model has no loss (its last layer, or a graph output, is not an output or
     *                           loss layer) or the data does not fit it
     */
    LossSurface surface(DataSet prepared) {
        checkLoss();
        try {
            return network != null ? NetworkSurfaces.of(network, prepared)
                    : NetworkSurfaces.of(graph,
                    List.of(new MultiDataSet(prepared.getFeatures(), prepared.getLabels())));
        } catch (IllegalArgumentException e) {
            throw new BadInputException("data does not fit the model: " + BadInputException.reason(e), e);
        }
    }

    private void checkLoss() {
        try {
            if (network != null) {
                NetworkSurfaces.checkLoss(network);
            } else {
                NetworkSurfaces.checkLoss(graph);
            }
        } catch (IllegalArgumentException e) {
            throw new BadInputException("model file " + file + " has no loss to estimate on: "
                    + BadInputException.reason(e), e);
        }
    }

    /** The symmetry snapshot of the model on the prepared data's features. */
    SymmetrySnapshot scan(SymmetryScanner scanner, DataSet prepared, long iteration) {
        INDArray features = prepared.getFeatures();
        return network != null ? scanner.scan(network, features, iteration)
                : scanner.scan(graph, new INDArray[] {features}, iteration);
    }
}
