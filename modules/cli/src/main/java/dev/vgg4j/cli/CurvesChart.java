package dev.vgg4j.cli;

import dev.vgg4j.train.AtomicFiles;
import dev.vgg4j.train.EpochRow;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** {@code curves.png}: loss (top) and accuracy (bottom) per epoch, training and validation. */
final class CurvesChart {
    private static final int WIDTH = 900;
    private static final int HEIGHT = 700;

    private CurvesChart() {}

    /** Writes the chart of {@code rows} to {@code file}, replacing it whole so a reader never sees half a PNG. */
    static void write(List<EpochRow> rows, String title, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        plot.add(panel("loss", "loss (per image)", rows, EpochRow::trainLoss, EpochRow::valLoss, false), 1);
        plot.add(panel("accuracy", "accuracy", rows, EpochRow::trainAcc, EpochRow::valAcc, true), 1);
        JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        AtomicFiles.replace(file, temp -> ChartUtils.saveChartAsPNG(temp.toFile(), chart, WIDTH, HEIGHT));
    }

    private static XYPlot panel(String quantity, String axisLabel, List<EpochRow> rows, ToDoubleFunction<EpochRow> train,
                                ToDoubleFunction<EpochRow> val, boolean unitRange) {
        XYSeriesCollection data = new XYSeriesCollection();
        data.addSeries(series("train " + quantity, rows, train));
        data.addSeries(series("val " + quantity, rows, val));
        NumberAxis axis = new NumberAxis(axisLabel);
        axis.setAutoRangeIncludesZero(unitRange);
        if (unitRange) {
            axis.setRange(0, 1);
        }
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, new Color(0x1f77b4));
        renderer.setSeriesPaint(1, new Color(0xff7f0e));
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        XYPlot plot = new XYPlot(data, null, axis, renderer);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        return plot;
    }

    private static XYSeries series(String name, List<EpochRow> rows, ToDoubleFunction<EpochRow> value) {
        XYSeries series = new XYSeries(name);
        for (EpochRow row : rows) {
            series.add(row.epoch(), value.applyAsDouble(row));
        }
        return series;
    }
}
