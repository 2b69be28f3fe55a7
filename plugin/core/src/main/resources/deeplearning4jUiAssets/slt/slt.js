/*
 * The slt4j page: polls /slt/api/* and draws with the UI's flot. Every string that comes from the data (session
 * IDs, layer names, warnings, configuration) is inserted with textContent / jQuery.text(), or HTML-escaped before
 * flot puts it into its legend; never as HTML. Numbers come in the record schema's JSON form: a non-finite double
 * is the string "NaN", "Infinity" or "-Infinity" (see num()).
 */
(function ($) {
    'use strict';

    var POLL_MS = 2000;
    var COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f',
        '#bcbd22', '#17becf'];
    var LLC_COLOR = '#1f77b4', BAND_COLOR = '#9ecae1', LOSS_COLOR = '#555555', LOSS_FAINT = '#cccccc';
    var SCORE_COLOR = '#bcbd22';
    /** The loss series' name by what it holds (RunHistory.LossKind). */
    var LOSS_NAMES = {DATA_LOSS: 'data loss', SCORE: 'score, with regularization',
        MIXED: 'data loss (score where none was recorded)', NONE: 'loss'};
    var UNRELIABLE_COLOR = '#d62728', RECALIBRATED_COLOR = '#ff7f0e';

    var state = {session: null, version: null, llcEstimates: -1, model: null, data: null, multiSession: false,
        sessions: []};

    /** HTML-escapes a string (for flot legend labels, which flot inserts as HTML). */
    function escapeHtml(s) {
        var div = document.createElement('div');
        div.textContent = String(s);
        return div.innerHTML;
    }

    /** A double of the record schema as a chart value: the number, or null (a gap) for "NaN" and the infinities. */
    function num(v) {
        return typeof v === 'number' ? v : null;
    }

    function fmt(v) {
        if (v === null || v === undefined) {
            return '-';
        }
        if (typeof v === 'number') {
            return Number.isInteger(v) ? String(v) : (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3 && v !== 0)
                ? v.toExponential(3) : v.toPrecision(4);
        }
        return String(v);
    }

    function points(iterations, values) {
        var out = [];
        for (var i = 0; i < iterations.length; i++) {
            out.push([iterations[i], num(values[i])]);
        }
        return out;
    }

    function row(cells) {
        var tr = document.createElement('tr');
        cells.forEach(function (c) {
            var td = document.createElement('td');
            td.textContent = fmt(c);
            tr.appendChild(td);
        });
        return tr;
    }

    function fillTable(selector, rows) {
        var body = $(selector).find('tbody').get(0);
        $(body).empty();
        rows.forEach(function (r) {
            body.appendChild(row(r));
        });
    }

    function setStatus(text, kind) {
        var el = $('#status');
        if (!text) {
            el.hide();
            return;
        }
        el.attr('class', 'alert alert-' + (kind || 'info')).text(text).show();
    }

    function plot(selector, data, options) {
        var base = {
            legend: {position: 'nw', labelFormatter: escapeHtml, backgroundOpacity: 0.6},
            grid: {hoverable: true, borderWidth: 1, borderColor: '#ccc'},
            xaxis: {tickDecimals: 0}
        };
        return $.plot($(selector), data, $.extend(true, base, options || {}));
    }

    function empty(selector, message) {
        var el = $(selector);
        var plotted = el.data('plot');
        if (plotted) {
            plotted.shutdown();
            el.removeData('plot');
        }
        el.empty().append($('<div class="slt-empty"></div>').text(message));
    }

    /* ---------- sessions ---------- */

    function wantedSession() {
        var params = new URLSearchParams(window.location.search);
        return params.get('session');
    }

    function refreshSessions() {
        return $.ajax({url: '/slt/api/sessions', dataType: 'json', cache: false}).then(function (answer) {
            state.multiSession = answer.multiSession;
            state.sessions = answer.sessions;
            var select = $('#sessionSelect').get(0);
            var ids = answer.sessions.map(function (s) {
                return s.sessionId;
            });
            var current = Array.prototype.map.call(select.options, function (o) {
                return o.value;
            });
            if (ids.join('\u0000') !== current.join('\u0000')) {
                $(select).empty();
                answer.sessions.forEach(function (s) {
                    var option = document.createElement('option');
                    option.value = s.sessionId;
                    option.textContent = s.sessionId + (s.start ? ' (' + s.start.replace('T', ' ').substring(0, 19) + ')' : '');
                    select.appendChild(option);
                });
            }
            if (ids.length === 0) {
                state.session = null;
                setStatus('No slt4j session in the storages attached to this UI yet. Attach an SltListener to the same '
                    + 'StatsStorage (builder .statsStorage(storage), or setListeners with StatsListener routing).');
                return;
            }
            if (state.session === null || ids.indexOf(state.session) < 0) {
                var wanted = wantedSession();
                selectSession(wanted !== null && ids.indexOf(wanted) >= 0 ? wanted : ids[0]);
            }
            select.value = state.session;
        });
    }

    function selectSession(id) {
        state.session = id;
        state.version = null;
        state.model = null;
        state.llcEstimates = -1;
        var url = new URL(window.location.href);
        url.searchParams.set('session', id);
        window.history.replaceState(null, '', url.toString());
        updateNavigation();
    }

    function updateNavigation() {
        var s = state.session;
        if (state.multiSession && s !== null) {
            var base = '/train/' + encodeURIComponent(s);
            $('#navOverview').attr('href', base + '/overview');
            $('#navModel').attr('href', base + '/model');
            $('#navSystem').attr('href', base + '/system');
        }
    }

    /** Single-session UI: make the built-in pages show the selected session before going there. */
    function openTrainingPage(event) {
        if (state.multiSession || state.session === null) {
            return;
        }
        event.preventDefault();
        var target = this.getAttribute('href');
        $.ajax({url: '/train/sessions/set/' + encodeURIComponent(state.session), cache: false})
            .always(function () {
                window.location.href = target;
            });
    }

    /* ---------- data ---------- */

    function smoothing() {
        return parseFloat($('#smoothing').val()) || 0;
    }

    function refreshData(force) {
        if (state.session === null) {
            return $.Deferred().resolve().promise();
        }
        var session = state.session;
        var params = {session: session};
        if (!force && state.version !== null) {
            params.since = state.version;
        }
        return $.ajax({url: '/slt/api/data', data: params, dataType: 'json', cache: false}).then(function (d) {
            if (session !== state.session || !d.changed) {
                return;
            }
            state.version = d.version;
            state.model = merge(d.full ? null : state.model, d);
            state.data = view(state.model);
            // For tests: what the charts draw, and how many answers were full or only changes.
            window.sltView = state.data;
            window.sltAnswers = window.sltAnswers || {full: 0, changes: 0};
            window.sltAnswers[d.full ? 'full' : 'changes']++;
            render(state.data);
            if (state.data.llcEstimates !== state.llcEstimates) {
                state.llcEstimates = state.data.llcEstimates;
                return refreshLatest(session);
            }
        });
    }

    /* ---------- merging polls (see SessionState on the server) ---------- */

    /**
     * Merges an answer of /slt/api/data into the page's model of the session: a full answer replaces it, a later one
     * brings only the buckets and rows that changed. Bucketed series double their width exactly as the server does
     * (SeriesBuckets): the sums of buckets 2j and 2j + 1, in that order, so the doubles agree bit for bit.
     */
    function merge(model, d) {
        var m = model || {loss: null, metrics: {}, metricNames: [], llc: {}, scans: {}, events: {}, stride: 1};
        ['sessionId', 'version', 'overviewUrl', 'header', 'lastIteration', 'llcEstimates', 'symmetryScans',
            'failures', 'skips'].forEach(function (k) {
            m[k] = d[k];
        });
        m.loss = mergeBuckets(d.loss.reset ? null : m.loss, d.loss);
        m.lossSource = d.loss.source;
        m.lossKind = d.loss.kind;
        m.scoreDiffers = d.loss.scoreDiffers;
        d.metrics.forEach(function (metric) {
            if (!(metric.name in m.metrics)) {
                m.metricNames.push(metric.name);
            }
            m.metrics[metric.name] = mergeBuckets(metric.reset ? null : m.metrics[metric.name], metric);
        });
        var llc = d.llc;
        llc.seq.forEach(function (seq, i) {
            m.llc[seq] = {seq: seq, iteration: llc.iterations[i], mean: llc.mean[i], std: llc.std[i],
                standardError: llc.standardError[i], rHat: llc.rHat[i], divergedChains: llc.divergedChains[i],
                reliable: llc.reliable[i], warnings: llc.warnings[i], segment: llc.segment[i]};
        });
        m.recalibrations = llc.recalibrations;
        m.stages = llc.stages;
        var scans = d.scans;
        m.stride = scans.stride;
        m.latestBound = scans.latestBound;
        m.skipped = scans.skipped;
        Object.keys(m.scans).forEach(function (ordinal) {
            if (ordinal % m.stride !== 0) {
                delete m.scans[ordinal];
            }
        });
        scans.ordinal.forEach(function (ordinal, i) {
            m.scans[ordinal] = {ordinal: ordinal, iteration: scans.iterations[i], bound: scans.bound[i], layers: {},
                names: []};
        });
        scans.layers.forEach(function (layer) {
            layer.ordinal.forEach(function (ordinal, i) {
                var row = m.scans[ordinal];
                row.names.push(layer.name);
                row.layers[layer.name] = LAYER_METRICS.map(function (metric) {
                    return layer[metric][i];
                });
            });
        });
        var events = d.events;
        events.seq.forEach(function (seq, i) {
            m.events[seq] = events.events[i];
        });
        Object.keys(m.events).map(Number).sort(function (a, b) {
            return a - b;
        }).slice(0, Math.max(0, Object.keys(m.events).length - events.limit)).forEach(function (seq) {
            delete m.events[seq];
        });
        m.eventTotal = events.total;
        return m;
    }

    var LAYER_METRICS = ['EFFECTIVE_WIDTH', 'NUMERICAL_RANK', 'EFFECTIVE_RANK', 'STABLE_RANK', 'DEAD_FRACTION',
        'DUPLICATE_FRACTION'];

    function mergeBuckets(old, d) {
        var b = old || {width: d.width, rows: {}};
        while (b.width < d.width) {
            b = doubleWidth(b);
        }
        d.index.forEach(function (index, i) {
            b.rows[index] = {index: index, count: d.count[i], iterationSum: d.iterationSum[i],
                channels: d.channels.map(function (c) {
                    return {finite: c.finite[i], sum: num(c.sum[i]), min: num(c.min[i]), max: num(c.max[i])};
                })};
        });
        return b;
    }

    function sortedKeys(o) {
        return Object.keys(o).map(Number).sort(function (a, b) {
            return a - b;
        });
    }

    function doubleWidth(b) {
        var rows = {};
        sortedKeys(b.rows).forEach(function (index) {
            var right = b.rows[index], j = Math.floor(index / 2), left = rows[j];
            rows[j] = !left ? {index: j, count: right.count, iterationSum: right.iterationSum, channels: right.channels}
                : {index: j, count: left.count + right.count, iterationSum: left.iterationSum + right.iterationSum,
                    channels: left.channels.map(function (c, k) {
                        var r = right.channels[k];
                        return {finite: c.finite + r.finite, sum: c.sum + r.sum, min: extreme(Math.min, c.min, r.min),
                            max: extreme(Math.max, c.max, r.max)};
                    })};
        });
        return {width: b.width * 2, rows: rows};
    }

    /** The min or max of two values, either of which may be null (a channel without finite values). */
    function extreme(f, a, b) {
        return a === null ? b : b === null ? a : f(a, b);
    }

    /** A bucketed series as the charts draw it: the mean of a channel at the mean iteration, with its range. */
    function bucketSeries(b, channel) {
        var out = {width: b ? b.width : 1, iterations: [], values: [], min: [], max: [], count: []};
        if (b) {
            sortedKeys(b.rows).forEach(function (index) {
                var r = b.rows[index], c = r.channels[channel];
                out.iterations.push(r.iterationSum / r.count);
                out.values.push(c.finite > 0 ? c.sum / c.finite : null);
                out.min.push(c.min);
                out.max.push(c.max);
                out.count.push(r.count);
            });
        }
        return out;
    }

    /** The model as the charts draw it: series in columns, rows by iteration. */
    function view(m) {
        var d = {sessionId: m.sessionId, version: m.version, header: m.header, lastIteration: m.lastIteration,
            llcEstimates: m.llcEstimates, symmetryScans: m.symmetryScans, failures: m.failures, skips: m.skips,
            stages: m.stages, eventTotal: m.eventTotal};
        var loss = bucketSeries(m.loss, 0);
        d.loss = {source: m.lossSource, kind: m.lossKind, width: loss.width, iterations: loss.iterations,
            values: loss.values, min: loss.min, max: loss.max, count: loss.count,
            score: m.scoreDiffers ? bucketSeries(m.loss, 1).values : null};
        d.metrics = m.metricNames.map(function (name) {
            var s = bucketSeries(m.metrics[name], 0);
            s.name = name;
            return s;
        });
        var llcRows = Object.keys(m.llc).map(function (k) {
            return m.llc[k];
        }).sort(function (a, b) {
            return a.iteration - b.iteration || a.seq - b.seq;
        });
        d.llc = {recalibrations: m.recalibrations};
        ['iteration', 'mean', 'std', 'standardError', 'rHat', 'divergedChains', 'reliable', 'warnings', 'segment']
            .forEach(function (k) {
                d.llc[k === 'iteration' ? 'iterations' : k] = llcRows.map(function (r) {
                    return r[k];
                });
            });
        var scans = sortedKeys(m.scans).map(function (k) {
            return m.scans[k];
        });
        d.bound = {iterations: scans.map(function (s) {
            return s.iteration;
        }), values: scans.map(function (s) {
            return s.bound;
        }), latest: m.latestBound, stride: m.stride, skipped: m.skipped};
        var names = [];
        scans.forEach(function (s) {
            s.names.forEach(function (n) {
                if (names.indexOf(n) < 0) {
                    names.push(n);
                }
            });
        });
        d.layers = names.map(function (name) {
            var layer = {name: name, iterations: []};
            LAYER_METRICS.forEach(function (metric) {
                layer[metric] = [];
            });
            scans.forEach(function (s) {
                if (s.layers[name]) {
                    layer.iterations.push(s.iteration);
                    LAYER_METRICS.forEach(function (metric, i) {
                        layer[metric].push(s.layers[name][i]);
                    });
                }
            });
            return layer;
        });
        d.events = sortedKeys(m.events).map(function (k) {
            return m.events[k];
        });
        return d;
    }

    /** TensorBoard's smoothing: an EMA debiased by 1 - w^k after k values; gaps pass through. */
    function debiasedEma(values, weight) {
        var last = 0, finite = 0;
        return values.map(function (v) {
            if (v === null) {
                return null;
            }
            last = last * weight + (1 - weight) * v;
            finite++;
            return last / (1 - Math.pow(weight, finite));
        });
    }

    function refreshLatest(session) {
        return $.ajax({url: '/slt/api/latest', data: {session: session}, dataType: 'json', cache: false})
            .then(function (d) {
                if (session === state.session) {
                    renderLatest(d.llc);
                }
            });
    }

    /* ---------- rendering ---------- */

    function render(d) {
        setStatus(null);
        renderLlc(d);
        renderBound(d);
        renderLayerChart('#widthChart', d.layers, 'EFFECTIVE_WIDTH', 'No symmetry scans yet.');
        renderLayerChart('#rankChart', d.layers, $('#rankMetric').val(), 'No symmetry scans yet.');
        renderFractions(d);
        renderEvents(d.events);
        // Long runs: the page keeps every stride-th scan and the latest events; the records keep everything.
        $('#scanNote').text(d.bound.stride > 1 ? 'One scan in ' + d.bound.stride + ' is drawn here ('
            + d.bound.iterations.length + ' of ' + d.symmetryScans + '), in these charts and the per-layer ones; the '
            + 'report and the records have all of them.' : '');
        $('#skippedNote').text(d.bound.skipped.length === 0 ? '' : 'Not analysed by the latest scan: '
            + d.bound.skipped.map(function (s) {
                return s.layerName + ' (' + s.reason + ')';
            }).join('; ') + '.');
        $('#eventNote').text(d.eventTotal > d.events.length ? 'The latest ' + d.events.length + ' of '
            + d.eventTotal + ' events; the report and the records have all of them.' : '');
        renderRun(d);
        renderMetrics(d);
    }

    /** Fills the metric selector with the run's metric names, keeping the choice while it still exists. */
    function renderMetrics(d) {
        var select = $('#metricSelect');
        var chosen = select.val();
        var names = d.metrics.map(function (m) {
            return m.name;
        });
        if (select.children().length !== names.length || select.children().toArray().some(function (o, i) {
            return o.value !== names[i];
        })) {
            select.empty();
            names.forEach(function (name) {
                select.append($('<option></option>').attr('value', name).text(name));
            });
        }
        if (chosen !== null && names.indexOf(chosen) >= 0) {
            select.val(chosen);
        }
        drawMetric(d, select.val());
    }

    function drawMetric(d, name) {
        var metric = d.metrics.filter(function (m) {
            return m.name === name;
        })[0];
        if (!metric) {
            empty('#metricChart', 'No metrics recorded: see metric(name, value) on the listener.');
            return;
        }
        plot('#metricChart', envelope('metric', metric, 2, '#ffbb78').concat([
            {label: 'LLC (left axis)', sltRole: 'llc', data: points(d.llc.iterations, d.llc.mean), color: LLC_COLOR,
                lines: {show: true, lineWidth: 2}, points: {show: true, radius: 2}},
            {label: metric.name + perBucket(metric.width) + ' (right axis)', sltRole: 'metric',
                data: points(metric.iterations, metric.values), yaxis: 2, color: COLORS[1],
                lines: {show: true, lineWidth: 2}, points: {show: metric.width === 1, radius: 2}}
        ]), {yaxes: [{position: 'left'}, {position: 'right'}],
            grid: {markings: stageMarkings(d.stages).concat(eventMarkings(d.events))
                .concat(recalibrationMarkings(d.llc.recalibrations))}});
    }

    /** How a downsampled series is labelled: its points are means over buckets of this many iterations. */
    function perBucket(width) {
        return width > 1 ? ', mean per ' + width + ' iterations, shaded: range' : '';
    }

    /**
     * The min/max envelope of a downsampled series: two flot series, filled between; none while no bucket holds more
     * than one point.
     */
    function envelope(id, s, yaxis, color) {
        if (!s.count.some(function (c) {
            return c > 1;
        })) {
            return [];
        }
        return [
            {id: id + 'Min', sltRole: id + 'Min', data: points(s.iterations, s.min), yaxis: yaxis, color: color,
                lines: {show: true, lineWidth: 0, fill: false}, shadowSize: 0},
            {id: id + 'Max', sltRole: id + 'Max', data: points(s.iterations, s.max), yaxis: yaxis, color: color,
                fillBetween: id + 'Min', lines: {show: true, lineWidth: 0, fill: 0.5}, shadowSize: 0}
        ];
    }

    var STAGE_COLORS = {RISING: 'rgba(44,160,44,0.12)', FALLING: 'rgba(214,39,40,0.10)',
        LEVEL: 'rgba(127,127,127,0.10)'};

    /** Developmental stages as shaded bands behind the lines (drawn first, under the event lines). */
    function stageMarkings(stages) {
        return stages.map(function (s) {
            return {xaxis: {from: s.start, to: s.end}, color: STAGE_COLORS[s.kind]};
        });
    }

    function eventMarkings(events) {
        return events.map(function (e) {
            return {
                xaxis: {from: e.iteration, to: e.iteration}, lineWidth: 2,
                color: e.formation ? 'rgba(40,167,69,0.75)' : 'rgba(220,53,69,0.75)'
            };
        });
    }

    /** Where the LLC settings were calibrated again (a new segment of estimates starts). */
    function recalibrationMarkings(iterations) {
        return iterations.map(function (it) {
            return {xaxis: {from: it, to: it}, lineWidth: 1, color: RECALIBRATED_COLOR};
        });
    }

    /** Labels the recalibration lines; flot removes them with the rest of the chart when it redraws. */
    function labelRecalibrations(plotted, iterations) {
        var top = plotted.getPlotOffset().top, placeholder = plotted.getPlaceholder();
        iterations.forEach(function (it) {
            var left = plotted.pointOffset({x: it, y: 0}).left;
            var label = $('<div class="slt-recalibrated"></div>').text('recalibrated')
                .attr('title', 'iteration ' + it + ': the LLC step size and localization were calibrated again')
                .css({left: left + 3, top: top + 2}).appendTo(placeholder);
            if (left + 3 + label.outerWidth() > placeholder.width() - plotted.getPlotOffset().right) {
                label.css('left', left - 3 - label.outerWidth());   // near the right edge: left of its line
            }
        });
    }

    function renderLlc(d) {
        var llc = d.llc, low = [], high = [], mean = [], unreliable = [], warnings = [];
        for (var i = 0; i < llc.iterations.length; i++) {
            var m = num(llc.mean[i]), s = num(llc.std[i]), it = llc.iterations[i];
            mean.push([it, m]);
            low.push([it, m === null || s === null ? null : m - s]);
            high.push([it, m === null || s === null ? null : m + s]);
            if (llc.reliable[i] === false && m !== null) {
                unreliable.push([it, m]);
                warnings.push(llc.warnings[i]);
            }
        }
        var smoothed = smoothing() > 0 ? debiasedEma(d.loss.values, smoothing()) : null;
        var lossName = (LOSS_NAMES[d.loss.kind] || 'loss') + perBucket(d.loss.width);
        var series = envelope('loss', d.loss, 2, LOSS_FAINT).concat([
            {id: 'llcLow', sltRole: 'llcLow', data: low, color: BAND_COLOR, lines: {show: true, lineWidth: 0, fill: false},
                shadowSize: 0},
            {id: 'llcHigh', sltRole: 'llcHigh', data: high, color: BAND_COLOR, fillBetween: 'llcLow',
                lines: {show: true, lineWidth: 0, fill: 0.4}, shadowSize: 0},
            {label: 'LLC (left axis)', sltRole: 'llc', data: mean, color: LLC_COLOR, lines: {show: true, lineWidth: 2},
                points: {show: true, radius: 3, fill: true, fillColor: LLC_COLOR}},
            {label: lossName + (smoothed ? ', raw' : '') + ' (right axis)', sltRole: 'loss',
                data: points(d.loss.iterations, d.loss.values), yaxis: 2, color: smoothed ? LOSS_FAINT : LOSS_COLOR,
                lines: {show: true, lineWidth: 1}, shadowSize: 0}
        ]);
        if (smoothed) {
            series.push({label: lossName + ', smoothed', sltRole: 'lossSmoothed',
                data: points(d.loss.iterations, smoothed), yaxis: 2, color: LOSS_COLOR,
                lines: {show: true, lineWidth: 2}, shadowSize: 0});
        }
        if (d.loss.score) {
            // The regularized score has its own axis: with strong weight decay it is thousands of times the data loss.
            series.push({label: 'score, with regularization (outer right axis)', sltRole: 'score',
                data: points(d.loss.iterations, d.loss.score), yaxis: 3, color: SCORE_COLOR,
                lines: {show: true, lineWidth: 1}, shadowSize: 0});
        }
        if (unreliable.length > 0) {
            // Drawn last, over the filled points: a hollow ring marks an estimate the library does not vouch for.
            series.push({label: 'LLC, unreliable (hover for warnings)', sltRole: 'llcUnreliable', sltWarnings: warnings,
                data: unreliable, color: UNRELIABLE_COLOR, lines: {show: false},
                points: {show: true, radius: 5, lineWidth: 2, fill: true, fillColor: '#ffffff'}});
        }
        if (mean.length === 0 && d.loss.iterations.length === 0) {
            empty('#llcChart', 'No LLC estimate or loss yet.');
        } else {
            var plotted = plot('#llcChart', series, {
                yaxes: [{position: 'left'}, {position: 'right'}, {position: 'right'}],
                grid: {markings: stageMarkings(d.stages).concat(eventMarkings(d.events))
                    .concat(recalibrationMarkings(llc.recalibrations))}
            });
            labelRecalibrations(plotted, llc.recalibrations);
        }
        $('#lossSource').text(d.loss.source === 'STATS_LISTENER' ? "DL4J's StatsListener"
            : d.loss.source === 'SLT4J' ? "slt4j's loss records" : 'nowhere yet');
        $('#lossKind').text(d.loss.kind === 'NONE' ? '-' : lossName);
    }

    function renderBound(d) {
        if (d.bound.iterations.length === 0) {
            empty('#boundChart', 'No symmetry scans yet.');
            return;
        }
        plot('#boundChart', [
            {label: '(d \u2212 k)/2', sltRole: 'bound', data: points(d.bound.iterations, d.bound.values),
                color: '#d62728', lines: {show: true}, points: {show: true, radius: 2}},
            {label: 'LLC', data: points(d.llc.iterations, d.llc.mean), color: LLC_COLOR, lines: {show: true},
                points: {show: true, radius: 2}}
        ], {legend: {position: 'sw'}});
    }

    function renderLayerChart(selector, layers, metric, emptyMessage) {
        if (layers.length === 0) {
            empty(selector, emptyMessage);
            return;
        }
        plot(selector, layers.map(function (layer, i) {
            return {
                label: layer.name, sltRole: 'layer', data: points(layer.iterations, layer[metric]),
                color: COLORS[i % COLORS.length], lines: {show: true}, points: {show: true, radius: 2}
            };
        }), {legend: {position: 'sw'}});
    }

    function renderFractions(d) {
        if (d.layers.length === 0) {
            empty('#fractionChart', 'No symmetry scans yet.');
            return;
        }
        var series = [];
        d.layers.forEach(function (layer, i) {
            var color = COLORS[i % COLORS.length];
            series.push({label: layer.name + ': dead', data: points(layer.iterations, layer.DEAD_FRACTION),
                color: color, lines: {show: true, lineWidth: 2}, points: {show: true, radius: 2}});
            series.push({label: layer.name + ': duplicate', data: points(layer.iterations, layer.DUPLICATE_FRACTION),
                color: color, lines: {show: true, lineWidth: 1}, points: {show: false}});
        });
        plot('#fractionChart', series, {yaxis: {min: 0, max: 1}});
    }

    function renderEvents(events) {
        var body = $('#eventTable tbody').get(0);
        $(body).empty();
        events.forEach(function (e) {
            var tr = row([e.iteration, e.confirmedIteration, e.layerName, e.kind, e.units.join(', '),
                fmt(e.before) + ' \u2192 ' + fmt(e.after)]);
            tr.className = e.formation ? 'slt-formation' : 'slt-breaking';
            tr.title = e.description;
            body.appendChild(tr);
        });
        if (events.length === 0) {
            var tr = row(['No events yet.']);
            tr.firstChild.colSpan = 6;
            tr.className = 'slt-no-events';
            body.appendChild(tr);
        }
    }

    function last(values) {
        return values.length ? values[values.length - 1] : null;
    }

    function renderRun(d) {
        var h = d.header || {};
        fillTable('#runTable', [
            ['Session', d.sessionId],
            ['Model', h.modelType],
            ['Parameters d', h.parameters],
            ['Layers', h.layers],
            ['Training set n', h.trainingSetSize],
            ['Started', h.timestamp],
            ['Last iteration', d.lastIteration],
            ['Latest LLC', num(last(d.llc.mean)) === null ? '-' : fmt(last(d.llc.mean)) + ' \u00b1 ' + fmt(last(d.llc.std))
                + (last(d.llc.reliable) === false ? ' (unreliable)' : '')],
            ['LLC recalibrations', d.llc.recalibrations.length],
            ['Latest bound (d \u2212 k)/2', d.bound.latest],
            ['LLC estimates', d.llcEstimates],
            ['Symmetry scans', d.symmetryScans],
            ['Events', d.eventTotal],
            ['Failures / skipped', d.failures + ' / ' + d.skips]
        ]);
    }

    function renderLatest(llc) {
        if (llc === null) {
            $('#latestIteration').text('');
            empty('#traceChart', 'No LLC estimate yet.');
            fillTable('#chainTable', []);
            fillTable('#latestTable', []);
            return;
        }
        $('#latestIteration').text('(iteration ' + llc.iteration + ')');
        var traces = llc.chains.filter(function (c) {
            return c.lossTrace && c.lossTrace.length > 0;
        });
        if (traces.length === 0) {
            empty('#traceChart', 'The chains\' loss traces were not kept (LlcConfig keepTraces).');
        } else {
            plot('#traceChart', traces.map(function (c, i) {
                return {
                    label: 'chain ' + c.index + (c.divergence ? ' (diverged)' : ''), sltRole: 'trace',
                    data: c.lossTrace.map(function (v, j) {
                        return [j, num(v)];
                    }),
                    color: COLORS[i % COLORS.length], lines: {show: true, lineWidth: 1}, shadowSize: 0
                };
            }), {xaxis: {tickDecimals: 0}});
        }
        fillTable('#chainTable', llc.chains.map(function (c) {
            return [c.index, c.seed, c.llc, c.draws, c.meanLoss, c.effectiveSampleSize, c.divergence || 'no'];
        }));
        var diverged = llc.chains.filter(function (c) {
            return c.divergence;
        }).length;
        var rows = [
            ['Iteration', llc.iteration],
            ['LLC mean', llc.mean],
            ['Std over chains', llc.std],
            ['Standard error', llc.standardError],
            ['R-hat', llc.rHat],
            ['Effective sample size', llc.effectiveSampleSize],
            ['Diverged chains', diverged + ' of ' + llc.chains.length],
            ['Draws below baseline', llc.fractionBelowBaseline],
            ['Baseline loss', llc.baselineLoss],
            ['Dimension', llc.dimension],
            ['Data size', llc.dataSize],
            ['SGLD steps', llc.totalSteps],
            ['Wall time', llc.wallTime],
            ['Reliable', llc.reliable ? 'yes' : 'no: unreliable (see the warnings)'],
            ['Warnings', llc.warnings.length ? llc.warnings.join('; ') : 'none'],
            ['Calibration segment', llc.segment]
        ];
        Object.keys(llc.config).forEach(function (key) {
            rows.push(['config.' + key, llc.config[key]]);
        });
        fillTable('#latestTable', rows);
    }

    function hover(selector, target) {
        $(selector).on('plothover', function (event, pos, item) {
            if (item && item.series.label) {
                var warnings = item.series.sltWarnings ? item.series.sltWarnings[item.dataIndex] : null;
                $(target).text(item.series.label + ': ' + fmt(item.datapoint[1]) + ' at iteration '
                    + Math.round(item.datapoint[0]) + (warnings ? ' \u2014 unreliable: ' + warnings.join('; ') : ''));
            }
        });
    }

    /* ---------- start ---------- */

    function poll() {
        refreshSessions().then(function () {
            return refreshData(false);
        }).fail(function (xhr) {
            var message = xhr && xhr.responseJSON && xhr.responseJSON.error;
            setStatus('Cannot reach the UI server' + (message ? ': ' + message : '.'), 'warning');
        }).always(function () {
            window.setTimeout(poll, POLL_MS);
        });
    }

    $(function () {
        $('#sessionSelect').on('change', function () {
            selectSession(this.value);
            refreshData(true);
        });
        $('#smoothing').on('input change', function () {
            $('#smoothingValue').text(smoothing().toFixed(2));
            if (state.data) {
                renderLlc(state.data);
            }
        });
        $('#metricSelect').on('change', function () {
            if (state.data) {
                drawMetric(state.data, this.value);
            }
        });
        $('#rankMetric').on('change', function () {
            if (state.data) {
                renderLayerChart('#rankChart', state.data.layers, this.value, 'No symmetry scans yet.');
            }
        });
        $('#navOverview, #navModel, #navSystem').on('click', openTrainingPage);
        hover('#llcChart', '#llcHover');
        poll();
    });
}(jQuery));
