// landclust map viewer (inlined into report.html; MIT OR Apache-2.0, part of landclust).
//
// Why our own ~300-line canvas viewer and not Leaflet: the map is ONE equirectangular picture
// plus ONE regular grid of cells, so pan, zoom, an overlay and a hover lookup are a few lines of
// arithmetic; there is no third-party code to vendor or licence, nothing that could try to fetch
// tiles, icons or attribution links (the page must make no network request), and the self-test
// below can read the canvas directly.
//
// The URL hash "#map-only" hides everything but the map; "#selftest" does the same and runs a
// self-check (draw, layer on/off, wheel zoom, hover, no error, no external reference) whose JSON
// result goes into <pre id="selftest">, which tests/browser/check_report.sh reads.
(function () {
  'use strict';
  var dataElement = document.getElementById('map-data');
  var canvas = document.getElementById('map-canvas');
  var background = document.getElementById('map-bg');
  if (!dataElement || !canvas || !background) return;

  var data = JSON.parse(dataElement.textContent);
  var rows = data.rows, cols = data.cols;
  var grid = {
    west: data.lonWest, east: data.lonWest + cols * data.stepLon,
    north: data.latNorth, south: data.latNorth - rows * data.stepLat
  };
  var MAX_ZOOM = 256;

  // Hover data: one binary block (see src/report/map.rs, encode_cells): "LCM1", u32 n, u32 number
  // of variables, u32 bytes of varints; n LEB128 varints (grid index deltas); n u8 cluster ids;
  // padding to an even offset; per variable n u16 (65535 = missing) over [min, max].
  var cells = (function () {
    var text = (document.getElementById('map-cells') || { textContent: '' }).textContent.trim();
    var binary = text ? atob(text) : '';
    var bytes = new Uint8Array(binary.length);
    for (var b = 0; b < binary.length; b++) bytes[b] = binary.charCodeAt(b);
    if (bytes.length < 16 || String.fromCharCode(bytes[0], bytes[1], bytes[2], bytes[3]) !== 'LCM1') {
      return { n: 0, index: new Float64Array(0), clusters: bytes, view: null, valuesAt: [] };
    }
    var view = new DataView(bytes.buffer);
    var n = view.getUint32(4, true), nVars = view.getUint32(8, true), varintBytes = view.getUint32(12, true);
    var index = new Float64Array(n), pos = 16, current = 0;
    for (var i = 0; i < n; i++) {
      var delta = 0, scale = 1, byte;
      do { byte = bytes[pos++]; delta += (byte & 0x7f) * scale; scale *= 128; } while (byte & 0x80);
      current += delta;
      index[i] = current;
    }
    if (pos !== 16 + varintBytes) throw new Error('map: hover block indices are inconsistent');
    var clusters = bytes.subarray(pos, pos + n);
    pos += n;
    pos += pos % 2;
    var valuesAt = [];
    for (var v = 0; v < nVars; v++) valuesAt.push(pos + 2 * n * v);
    return { n: n, index: index, clusters: clusters, view: view, valuesAt: valuesAt };
  })();
  var variables = data.variables;
  // Value of variable v at hover position p, NaN where missing (mirror of decode_cells_with).
  function valueAt(v, p) {
    var q = cells.view.getUint16(cells.valuesAt[v] + 2 * p, true);
    if (q === 65535) return NaN;
    var range = variables[v];
    return range.min + q / 65534 * (range.max - range.min);
  }
  // Hover position of grid index g (binary search on the sorted indices), -1 if not kept. With a
  // subsampled block (hoverStride > 1) the nearest kept cell of the same row within the stride.
  function positionOf(g) {
    var lo = 0, hi = cells.n - 1;
    while (lo <= hi) {
      var mid = (lo + hi) >> 1, x = cells.index[mid];
      if (x === g) return mid;
      if (x < g) lo = mid + 1; else hi = mid - 1;
    }
    if (data.hoverStride > 1) {
      var best = -1, bestD = Infinity, row = Math.floor(g / cols);
      [hi, lo].forEach(function (p) {
        if (p < 0 || p >= cells.n || Math.floor(cells.index[p] / cols) !== row) return;
        var d = Math.abs(cells.index[p] - g);
        if (d <= data.hoverStride && d < bestD) { bestD = d; best = p; }
      });
      return best;
    }
    return -1;
  }

  var frame = document.getElementById('map-frame');
  var tooltip = document.getElementById('map-tooltip');
  var status = document.getElementById('map-status');
  var ctx = canvas.getContext('2d');
  var state = {
    width: 0, height: 0, lon: 0, lat: 0, scale: 1, zoom: 1,
    clusters: true, opacity: 0.6, graticule: true, hidden: {}, hover: -1, drag: null
  };

  // The cluster layer: a grey-level PNG (value = cluster id + 1) over the cells' bounding box,
  // `factor` grid cells per pixel, coloured here and drawn scaled without smoothing.
  var L = data.layer;
  var layerGeo = {
    west: grid.west + L.col0 * data.stepLon, north: grid.north - L.row0 * data.stepLat
  };
  layerGeo.east = layerGeo.west + L.width * L.factor * data.stepLon;
  layerGeo.south = layerGeo.north - L.height * L.factor * data.stepLat;
  var layerImage = document.getElementById('map-layer');
  var layer = document.createElement('canvas');
  layer.width = L.width;
  layer.height = L.height;
  var layerIds = null;
  function readLayer() {
    if (layerIds || !layerImage || !layerImage.complete || !layerImage.naturalWidth) return;
    var lctx = layer.getContext('2d');
    lctx.drawImage(layerImage, 0, 0);
    var pixels = lctx.getImageData(0, 0, L.width, L.height).data;
    layerIds = new Uint8Array(L.width * L.height);
    for (var k = 0; k < layerIds.length; k++) layerIds[k] = pixels[4 * k];
  }
  function paintLayer() {
    readLayer();
    if (!layerIds) return;
    var lctx = layer.getContext('2d');
    var image = lctx.createImageData(L.width, L.height);
    var rgb = data.colors.map(function (hex) {
      return [parseInt(hex.slice(1, 3), 16), parseInt(hex.slice(3, 5), 16), parseInt(hex.slice(5, 7), 16)];
    });
    var out = image.data;
    for (var k = 0; k < layerIds.length; k++) {
      var id = layerIds[k] - 1;
      if (id < 0 || id >= rgb.length || state.hidden[id]) continue;
      out[4 * k] = rgb[id][0]; out[4 * k + 1] = rgb[id][1]; out[4 * k + 2] = rgb[id][2]; out[4 * k + 3] = 255;
    }
    lctx.putImageData(image, 0, 0);
  }

  // Geometry: screen x = width/2 + (lon - state.lon) * scale, y = height/2 - (lat - state.lat) * scale.
  function fitScale() { return Math.min(state.width / 360, state.height / 180); }
  function toScreen(lon, lat) {
    return [state.width / 2 + (lon - state.lon) * state.scale, state.height / 2 - (lat - state.lat) * state.scale];
  }
  function toGeo(x, y) {
    return [state.lon + (x - state.width / 2) / state.scale, state.lat - (y - state.height / 2) / state.scale];
  }
  function clampCentre() {
    var halfLon = state.width / 2 / state.scale, halfLat = state.height / 2 / state.scale;
    state.lon = halfLon >= 180 ? 0 : Math.min(180 - halfLon, Math.max(-180 + halfLon, state.lon));
    state.lat = halfLat >= 90 ? 0 : Math.min(90 - halfLat, Math.max(-90 + halfLat, state.lat));
  }
  function setZoom(zoom) {
    state.zoom = Math.min(MAX_ZOOM, Math.max(1, zoom));
    state.scale = fitScale() * state.zoom;
  }

  // Draw the part of a picture spanning [west, east] x [south, north] that is on screen; only
  // the visible source rectangle is drawn, so deep zooms stay cheap.
  function drawGeo(picture, pw, ph, west, east, north, south) {
    var topLeft = toGeo(0, 0), bottomRight = toGeo(state.width, state.height);
    var w = Math.max(west, topLeft[0]), e = Math.min(east, bottomRight[0]);
    var n = Math.min(north, topLeft[1]), s = Math.max(south, bottomRight[1]);
    if (w >= e || s >= n) return;
    var sx = (w - west) / (east - west) * pw, sw = (e - w) / (east - west) * pw;
    var sy = (north - n) / (north - south) * ph, sh = (n - s) / (north - south) * ph;
    var a = toScreen(w, n), b = toScreen(e, s);
    ctx.drawImage(picture, sx, sy, sw, sh, a[0], a[1], b[0] - a[0], b[1] - a[1]);
  }

  function drawGraticule() {
    var step = state.zoom >= 16 ? 5 : state.zoom >= 4 ? 10 : 30;
    ctx.save();
    ctx.strokeStyle = 'rgba(255,255,255,0.35)';
    ctx.fillStyle = 'rgba(255,255,255,0.85)';
    ctx.lineWidth = 1;
    ctx.font = '11px system-ui, sans-serif';
    for (var lon = -180; lon <= 180; lon += step) {
      var x = Math.round(toScreen(lon, 0)[0]) + 0.5;
      if (x < 0 || x > state.width) continue;
      ctx.beginPath(); ctx.moveTo(x, 0); ctx.lineTo(x, state.height); ctx.stroke();
      ctx.fillText(lon + '\u00b0', x + 3, state.height - 4);
    }
    for (var lat = -90; lat <= 90; lat += step) {
      var y = Math.round(toScreen(0, lat)[1]) + 0.5;
      if (y < 0 || y > state.height) continue;
      ctx.beginPath(); ctx.moveTo(0, y); ctx.lineTo(state.width, y); ctx.stroke();
      ctx.fillText(lat + '\u00b0', 3, y - 3);
    }
    ctx.restore();
  }

  function cellBounds(cell) {
    var i = Math.floor(cell / cols), j = cell % cols;
    var west = grid.west + j * data.stepLon, north = grid.north - i * data.stepLat;
    return { west: west, east: west + data.stepLon, north: north, south: north - data.stepLat };
  }

  function draw() {
    ctx.setTransform(window.devicePixelRatio || 1, 0, 0, window.devicePixelRatio || 1, 0, 0);
    ctx.fillStyle = '#0b1020';
    ctx.fillRect(0, 0, state.width, state.height);
    ctx.imageSmoothingEnabled = true;
    if (background.complete && background.naturalWidth > 0) {
      drawGeo(background, background.naturalWidth, background.naturalHeight, -180, 180, 90, -90);
    }
    if (state.clusters && state.opacity > 0) {
      ctx.save();
      ctx.globalAlpha = state.opacity;
      ctx.imageSmoothingEnabled = false;
      drawGeo(layer, L.width, L.height, layerGeo.west, layerGeo.east, layerGeo.north, layerGeo.south);
      ctx.restore();
    }
    if (state.graticule) drawGraticule();
    if (state.hover >= 0) {
      var b = cellBounds(state.hover), a = toScreen(b.west, b.north), c = toScreen(b.east, b.south);
      ctx.save();
      ctx.strokeStyle = '#ffffff';
      ctx.lineWidth = 2;
      ctx.strokeRect(a[0], a[1], Math.max(2, c[0] - a[0]), Math.max(2, c[1] - a[1]));
      ctx.restore();
    }
    status.textContent = 'zoom ' + state.zoom.toFixed(state.zoom < 10 ? 1 : 0) + '\u00d7, centre ' +
      formatLat(state.lat) + ' ' + formatLon(state.lon);
  }

  var pending = false;
  function requestDraw() {
    if (pending) return;
    pending = true;
    window.requestAnimationFrame(function () { pending = false; draw(); });
  }

  function resize() {
    var rect = frame.getBoundingClientRect();
    var ratio = window.devicePixelRatio || 1;
    var zoom = state.zoom;
    state.width = Math.max(1, rect.width);
    state.height = Math.max(1, rect.height);
    canvas.width = Math.round(state.width * ratio);
    canvas.height = Math.round(state.height * ratio);
    setZoom(zoom);
    clampCentre();
    draw();
  }

  function zoomAt(factor, x, y) {
    var anchor = toGeo(x, y);
    setZoom(state.zoom * factor);
    // Keep the point under the cursor fixed.
    state.lon = anchor[0] - (x - state.width / 2) / state.scale;
    state.lat = anchor[1] + (y - state.height / 2) / state.scale;
    clampCentre();
    draw();
  }

  function localPoint(event) {
    var rect = canvas.getBoundingClientRect();
    return [event.clientX - rect.left, event.clientY - rect.top];
  }

  function cellAt(x, y) {
    var geo = toGeo(x, y);
    var j = Math.floor((geo[0] - grid.west) / data.stepLon), i = Math.floor((grid.north - geo[1]) / data.stepLat);
    return i >= 0 && i < rows && j >= 0 && j < cols ? i * cols + j : -1;
  }

  function formatLat(lat) { return Math.abs(lat).toFixed(2) + '\u00b0' + (lat >= 0 ? 'N' : 'S'); }
  function formatLon(lon) { return Math.abs(lon).toFixed(2) + '\u00b0' + (lon >= 0 ? 'E' : 'W'); }
  function formatValue(v) {
    if (!isFinite(v)) return 'missing';
    return Math.abs(v) >= 1e-3 && Math.abs(v) < 1e6 || v === 0 ? String(Number(v.toPrecision(4))) : v.toExponential(3);
  }
  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Tooltip text is set with textContent only: names come from user files. `p` is the hover
  // position of the cell (its grid index is cells.index[p]).
  function showTooltip(p, x, y) {
    var b = cellBounds(cells.index[p]), id = cells.clusters[p];
    tooltip.textContent = '';
    tooltip.appendChild(element('div', 'title',
      'Lat ' + formatLat((b.north + b.south) / 2) + ', Lon ' + formatLon((b.west + b.east) / 2)));
    var line = element('div');
    var swatch = element('span', 'swatch');
    swatch.style.background = data.colors[id];
    line.appendChild(swatch);
    line.appendChild(document.createTextNode('Cluster: ' + data.names[id]));
    tooltip.appendChild(line);
    var table = element('table');
    variables.forEach(function (v, k) {
      var value = valueAt(k, p);
      var tr = element('tr');
      tr.appendChild(element('td', '', v.name));
      tr.appendChild(element('td', 'value', formatValue(value)));
      tr.appendChild(element('td', '', isFinite(value) ? v.units : ''));
      table.appendChild(tr);
    });
    if (variables.length) tooltip.appendChild(table);
    tooltip.hidden = false;
    // Keep the tooltip inside the frame, on the side away from the nearest edge.
    var left = x + 14, top = y + 14;
    if (left + tooltip.offsetWidth > state.width) left = x - 14 - tooltip.offsetWidth;
    if (top + tooltip.offsetHeight > state.height) top = y - 14 - tooltip.offsetHeight;
    tooltip.style.left = Math.max(0, left) + 'px';
    tooltip.style.top = Math.max(0, top) + 'px';
  }

  function hover(x, y) {
    var cell = cellAt(x, y);
    var p = cell >= 0 && cells.n > 0 ? positionOf(cell) : -1;
    if (p >= 0 && state.hidden[cells.clusters[p]]) p = -1;
    var shown = p >= 0 ? cells.index[p] : -1;
    if (shown !== state.hover) { state.hover = shown; requestDraw(); }
    if (p >= 0) showTooltip(p, x, y); else tooltip.hidden = true;
  }

  canvas.addEventListener('pointerdown', function (event) {
    if (event.button !== 0) return;
    var p = localPoint(event);
    state.drag = { x: p[0], y: p[1], lon: state.lon, lat: state.lat };
    if (canvas.setPointerCapture && event.pointerId !== undefined) {
      try { canvas.setPointerCapture(event.pointerId); } catch (e) { /* synthetic events have no capture */ }
    }
    canvas.classList.add('dragging');
  });
  canvas.addEventListener('pointermove', function (event) {
    var p = localPoint(event);
    if (state.drag) {
      state.lon = state.drag.lon - (p[0] - state.drag.x) / state.scale;
      state.lat = state.drag.lat + (p[1] - state.drag.y) / state.scale;
      clampCentre();
      tooltip.hidden = true;
      requestDraw();
    } else {
      hover(p[0], p[1]);
    }
  });
  function endDrag() { state.drag = null; canvas.classList.remove('dragging'); }
  canvas.addEventListener('pointerup', endDrag);
  canvas.addEventListener('pointercancel', endDrag);
  canvas.addEventListener('pointerleave', function () {
    if (!state.drag) { tooltip.hidden = true; state.hover = -1; requestDraw(); }
  });
  canvas.addEventListener('wheel', function (event) {
    event.preventDefault();
    var p = localPoint(event);
    var delta = event.deltaMode === 1 ? event.deltaY * 33 : event.deltaY;
    zoomAt(Math.min(4, Math.max(0.25, Math.pow(2, -delta / 250))), p[0], p[1]);
    hover(p[0], p[1]);
  }, { passive: false });
  canvas.addEventListener('dblclick', function (event) {
    var p = localPoint(event);
    zoomAt(event.shiftKey ? 0.5 : 2, p[0], p[1]);
  });
  canvas.addEventListener('keydown', function (event) {
    var step = 80 / state.scale, handled = true;
    if (event.key === 'ArrowLeft') state.lon -= step;
    else if (event.key === 'ArrowRight') state.lon += step;
    else if (event.key === 'ArrowUp') state.lat += step;
    else if (event.key === 'ArrowDown') state.lat -= step;
    else if (event.key === '+' || event.key === '=') { zoomAt(2, state.width / 2, state.height / 2); return event.preventDefault(); }
    else if (event.key === '-') { zoomAt(0.5, state.width / 2, state.height / 2); return event.preventDefault(); }
    else handled = false;
    if (handled) { event.preventDefault(); clampCentre(); draw(); }
  });

  var layerBox = document.getElementById('map-clusters');
  var opacityRange = document.getElementById('map-opacity');
  var opacityValue = document.getElementById('map-opacity-value');
  var graticuleBox = document.getElementById('map-graticule');
  layerBox.addEventListener('change', function () { state.clusters = layerBox.checked; draw(); });
  opacityRange.addEventListener('input', function () {
    state.opacity = Number(opacityRange.value);
    opacityValue.textContent = Math.round(state.opacity * 100) + '%';
    draw();
  });
  graticuleBox.addEventListener('change', function () { state.graticule = graticuleBox.checked; draw(); });
  document.getElementById('map-zoom-in').addEventListener('click', function () { zoomAt(2, state.width / 2, state.height / 2); });
  document.getElementById('map-zoom-out').addEventListener('click', function () { zoomAt(0.5, state.width / 2, state.height / 2); });
  document.getElementById('map-reset').addEventListener('click', function () { api.reset(); });

  // Legend: one toggle per cluster with its cell count.
  function buildLegend() {
    var legend = document.getElementById('map-legend');
    var counts = data.counts;
    data.colors.forEach(function (color, id) {
      var label = element('label');
      var box = element('input');
      box.type = 'checkbox';
      box.checked = true;
      box.addEventListener('change', function () { state.hidden[id] = !box.checked; paintLayer(); draw(); });
      var swatch = element('span', 'swatch');
      swatch.style.background = color;
      label.appendChild(box);
      label.appendChild(swatch);
      label.appendChild(document.createTextNode(data.names[id] + ' '));
      label.appendChild(element('span', 'count', '(' + counts[id] + ' cells)'));
      legend.appendChild(label);
    });
    if (data.hoverStride > 1) {
      legend.appendChild(element('p', 'note', 'Hover values are kept for 1 cell in ' + data.hoverStride +
        ' (the page would be too large otherwise); hovering shows the nearest such cell of the same row.'));
    }
  }

  var api = {
    canvas: canvas,
    state: state,
    draw: draw,
    zoomBy: function (factor) { zoomAt(factor, state.width / 2, state.height / 2); },
    setView: function (lat, lon, zoom) { setZoom(zoom); state.lat = lat; state.lon = lon; clampCentre(); draw(); },
    setClusterLayer: function (on) { layerBox.checked = on; state.clusters = on; draw(); },
    setOpacity: function (opacity) { opacityRange.value = opacity; opacityRange.dispatchEvent(new Event('input')); },
    reset: function () { setZoom(1); state.lon = 0; state.lat = 0; clampCentre(); draw(); }
  };
  window.landclustMap = api;

  // "#map-only" (and the self-test) show the map alone: a clean view to share or screenshot.
  if (location.hash === '#map-only' || location.hash === '#selftest') document.body.classList.add('map-only');
  paintLayer();
  buildLegend();
  setZoom(1);
  resize();
  window.addEventListener('resize', resize);
  function decoded(image) {
    return image && image.decode ? image.decode().catch(function () {}) : Promise.resolve();
  }
  var ready = Promise.all([decoded(background), decoded(layerImage)]);
  ready.then(function () {
    paintLayer();
    draw();
    if (location.hash === '#selftest') selfTest();
  });

  // ---- self-test (only with #selftest) ----
  function pixels() {
    return ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  }
  function differingFraction(a, b) {
    var differ = 0;
    for (var k = 0; k < a.length; k += 4) {
      if (a[k] !== b[k] || a[k + 1] !== b[k + 1] || a[k + 2] !== b[k + 2]) differ++;
    }
    return differ / (a.length / 4);
  }
  function lumaSpread(a) {
    var sum = 0, sum2 = 0, n = a.length / 4;
    for (var k = 0; k < a.length; k += 4) {
      var y = 0.299 * a[k] + 0.587 * a[k + 1] + 0.114 * a[k + 2];
      sum += y; sum2 += y * y;
    }
    return Math.sqrt(Math.max(0, sum2 / n - (sum / n) * (sum / n)));
  }
  function selfTest() {
    var result = { checks: {}, details: {} };
    var checks = result.checks, details = result.details;
    api.reset();
    api.setClusterLayer(false);
    var without = pixels();
    api.setClusterLayer(true);
    var withLayer = pixels();
    details.canvas = [canvas.width, canvas.height];
    details.background_luma_stddev = lumaSpread(without);
    details.layer_changed_fraction = differingFraction(without, withLayer);
    checks.background_drawn = details.background_luma_stddev > 10;
    checks.cluster_layer_drawn = details.layer_changed_fraction > 0.001;

    var rect = canvas.getBoundingClientRect();
    var zoomBefore = state.zoom;
    canvas.dispatchEvent(new WheelEvent('wheel', {
      deltaY: -500, clientX: rect.left + rect.width * 0.55, clientY: rect.top + rect.height * 0.35,
      bubbles: true, cancelable: true
    }));
    var zoomed = pixels();
    details.zoom = [zoomBefore, state.zoom];
    details.zoom_changed_fraction = differingFraction(withLayer, zoomed);
    checks.wheel_zoomed = state.zoom > zoomBefore * 1.5;
    checks.zoom_changed_view = details.zoom_changed_fraction > 0.2;

    // Hover the selected cell nearest the canvas centre and read the tooltip.
    var best = -1, bestDistance = Infinity;
    for (var p = 0; p < cells.n; p++) {
      var b = cellBounds(cells.index[p]), c = toScreen((b.west + b.east) / 2, (b.north + b.south) / 2);
      var d = Math.pow(c[0] - state.width / 2, 2) + Math.pow(c[1] - state.height / 2, 2);
      if (d < bestDistance) { bestDistance = d; best = p; }
    }
    if (best >= 0) {
      var bb = cellBounds(cells.index[best]), q = toScreen((bb.west + bb.east) / 2, (bb.north + bb.south) / 2);
      canvas.dispatchEvent(new PointerEvent('pointermove', { clientX: rect.left + q[0], clientY: rect.top + q[1], bubbles: true }));
      details.hover_cell = cells.index[best];
      details.tooltip = tooltip.hidden ? '' : tooltip.textContent;
      checks.hover_tooltip = !tooltip.hidden && tooltip.textContent.indexOf(data.names[cells.clusters[best]]) >= 0 &&
        tooltip.textContent.indexOf('Lat') >= 0 &&
        variables.every(function (v) { return tooltip.textContent.indexOf(v.name) >= 0; });
    } else {
      checks.hover_tooltip = false;
      details.hover_cell = 'no selected cell in view';
    }

    // The binary hover block decodes here as in Rust: cells the page's JSON lists ("probes",
    // decoded by Rust's decode_cells_with) must be found with the same cluster and values.
    details.hover_cells = cells.n;
    details.probes = data.probes.map(function (probe) {
      var p = positionOf(probe.index);
      var ok = p >= 0 && cells.index[p] === probe.index && cells.clusters[p] === probe.cluster &&
        probe.values.every(function (want, k) {
          var got = valueAt(k, p);
          return want === null ? isNaN(got) : Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));
        });
      return { index: probe.index, found: p, ok: ok };
    });
    checks.hover_decoding = cells.n > 0 && data.probes.length > 0 &&
      details.probes.every(function (r) { return r.ok; });

    // The image layer: the centre pixel of the first probe's layer pixel has its cluster colour.
    if (layerIds && data.probes.length) {
      var g = data.probes[0].index, r = Math.floor(g / cols), col = g % cols;
      var lx = Math.floor((col - L.col0) / L.factor), ly = Math.floor((r - L.row0) / L.factor);
      details.layer_pixel = [lx, ly, layerIds[ly * L.width + lx]];
      checks.layer_image_decoded = layerIds[ly * L.width + lx] > 0 && (L.factor > 1 || layerIds[ly * L.width + lx] === data.probes[0].cluster + 1);
    } else {
      checks.layer_image_decoded = false;
    }

    var external = performance.getEntriesByType('resource').map(function (e) { return e.name; })
      .filter(function (name) { return name.indexOf('data:') !== 0; });
    document.querySelectorAll('[src],[href]').forEach(function (node) {
      var ref = node.getAttribute('src') || node.getAttribute('href');
      if (ref && ref.indexOf('data:') !== 0 && ref.charAt(0) !== '#') external.push(node.tagName + ' ' + ref.slice(0, 80));
    });
    details.external_references = external;
    checks.no_external_references = external.length === 0;
    details.errors = window.__reportErrors ? window.__reportErrors.slice() : ['error trap missing'];
    checks.no_console_errors = details.errors.length === 0;

    result.pass = Object.keys(checks).every(function (k) { return checks[k] === true; });
    var out = document.getElementById('selftest') || element('pre');
    out.id = 'selftest';
    out.textContent = JSON.stringify(result);
    document.getElementById('map').appendChild(out);
    document.title = 'SELFTEST ' + (result.pass ? 'PASS' : 'FAIL');
  }
})();
