package org.slt4j.benchmarks;

import java.util.List;
import org.slt4j.llc.*;
import org.slt4j.surface.*;
import org.slt4j.testkit.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;

public class Exp {
    public static void main(String[] a) {
        int count = Integer.parseInt(a[0]);
        int skip = a.length > 1 ? Integer.parseInt(a[1]) : 0;
        List<ExactCase> cases = ExactCases.draw(count, 7);
        for (ExactCase c : cases.subList(skip, count)) {
            MultiLayerNetwork net = c.network();
            DataSet data = c.data(net);
            LossSurface s = NetworkSurfaces.of(net, data);
            LlcConfig.Builder b = new LlcConfig.Builder().trainingSetSize(c.trainingSetSize()).threads(1);
            if (System.getProperty("gamma") != null) b.localization(Double.parseDouble(System.getProperty("gamma")));
            long t0 = System.nanoTime();
            Calibration cal = new LlcCalibrator.Builder(b.build()).build().calibrate(s);
            double ct = (System.nanoTime() - t0) / 1e9;
            LlcEstimate e = new LlcEstimator(cal.chosen()).estimate(s);
            System.out.printf("  calibration %d steps %.1fs; ", cal.totalSteps(), ct);
            LlcConfig r = e.config();
            System.out.printf("%-26s d=%4d lam=%7.3f est=%7.3f se=%6.3f rel=%+6.1f%% rhat=%.3f eps=%.2g g=%.2g burn=%d draws=%d steps=%d t=%.1fs %s %s%n", c.label(), c.dimension(), c.lambda(),
                e.mean(), e.standardError(), 100*(e.mean()/c.lambda()-1), e.rHat(), r.stepSize().getAsDouble(), r.localization().getAsDouble(),
                r.burnInSteps().getAsInt(), r.draws().getAsInt(), e.totalSteps(), e.wallTime().toMillis()/1000.0, e.tuning().drawsStop(), e.isReliable() ? "" : e.warnings());
            if (System.getProperty("verbose") != null) System.out.println(cal.table());
        }
    }
}
