;; The engine's WebAssembly SIMD kernels (float32, four lanes): the classifier's dense layers and
;; the correlations of the voiced-speech check and pitch estimate.
;; Build: bun run build:wasm (writes kernels.wasm next to this file).
(module
  (import "env" "memory" (memory 1))

  ;; out[r] = Σ_c w[r·cols + c] · x[c] for r < rows. cols must be a multiple of 8 (callers pad
  ;; rows and x with zeros); pointers are byte offsets, 16-byte aligned. Two accumulators let
  ;; consecutive multiply-adds overlap.
  (func (export "matvec") (param $w i32) (param $x i32) (param $out i32) (param $rows i32) (param $cols i32)
    (local $xi i32) (local $end i32) (local $a v128) (local $b v128)
    (block $done
      (loop $row
        (br_if $done (i32.eqz (local.get $rows)))
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $xi (local.get $x))
        (local.set $end (i32.add (local.get $x) (i32.shl (local.get $cols) (i32.const 2))))
        (block $row_done
          (loop $col
            (br_if $row_done (i32.ge_u (local.get $xi) (local.get $end)))
            (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load (local.get $w)) (v128.load (local.get $xi)))))
            (local.set $b (f32x4.add (local.get $b) (f32x4.mul (v128.load offset=16 (local.get $w)) (v128.load offset=16 (local.get $xi)))))
            (local.set $w (i32.add (local.get $w) (i32.const 32)))
            (local.set $xi (i32.add (local.get $xi) (i32.const 32)))
            (br $col)))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (f32.store (local.get $out)
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
            (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $rows (i32.sub (local.get $rows) (i32.const 1)))
        (br $row))))

  ;; out[l − minLag] = Σ_{i<n} x[i] · x[i + l] for minLag ≤ l ≤ maxLag: a window's dot products
  ;; with itself shifted by each lag. x and out are byte offsets (x + 4·l need not be aligned);
  ;; eight products per step in two accumulators, then the n mod 8 left one at a time.
  (func (export "lagdots") (param $x i32) (param $out i32) (param $minLag i32) (param $maxLag i32) (param $n i32)
    (local $lag i32) (local $p i32) (local $q i32) (local $end i32) (local $vend i32)
    (local $a v128) (local $b v128) (local $s f32)
    (local.set $lag (local.get $minLag))
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -8)) (i32.const 2))))
    (block $done
      (loop $lags
        (br_if $done (i32.gt_s (local.get $lag) (local.get $maxLag)))
        (local.set $a (v128.const i32x4 0 0 0 0))
        (local.set $b (v128.const i32x4 0 0 0 0))
        (local.set $p (local.get $x))
        (local.set $q (i32.add (local.get $x) (i32.shl (local.get $lag) (i32.const 2))))
        (block $vector_done
          (loop $vector
            (br_if $vector_done (i32.ge_u (local.get $p) (local.get $vend)))
            (local.set $a (f32x4.add (local.get $a) (f32x4.mul (v128.load align=4 (local.get $p)) (v128.load align=4 (local.get $q)))))
            (local.set $b (f32x4.add (local.get $b) (f32x4.mul (v128.load offset=16 align=4 (local.get $p)) (v128.load offset=16 align=4 (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 32)))
            (local.set $q (i32.add (local.get $q) (i32.const 32)))
            (br $vector)))
        (local.set $a (f32x4.add (local.get $a) (local.get $b)))
        (local.set $s
          (f32.add
            (f32.add (f32x4.extract_lane 0 (local.get $a)) (f32x4.extract_lane 1 (local.get $a)))
            (f32.add (f32x4.extract_lane 2 (local.get $a)) (f32x4.extract_lane 3 (local.get $a)))))
        (block $tail_done
          (loop $tail
            (br_if $tail_done (i32.ge_u (local.get $p) (local.get $end)))
            (local.set $s (f32.add (local.get $s) (f32.mul (f32.load (local.get $p)) (f32.load (local.get $q)))))
            (local.set $p (i32.add (local.get $p) (i32.const 4)))
            (local.set $q (i32.add (local.get $q) (i32.const 4)))
            (br $tail)))
        (f32.store (local.get $out) (local.get $s))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (local.set $lag (i32.add (local.get $lag) (i32.const 1)))
        (br $lags))))

;; c[i·n + j] += a[i·si + r·sr] · b[r·n + j] for i < m, r < k, j < n (float64, two lanes): rows
  ;; of C built from rows of B, each element summing its terms in order of r with the very
  ;; operations of the scalar loop (multiply, then add), so the result is bit for bit that of
  ;; JavaScript's. Zero terms of A are skipped; the others are taken four at a time, so a chunk of
  ;; C is loaded and stored once per four terms. Pointers are byte offsets (16-byte aligned rows
  ;; run fastest); si and sr count elements; an odd n ends with one scalar step. The MLP
  ;; trainer's batch products.
  (func (export "axpyrows") (param $c i32) (param $a i32) (param $b i32) (param $m i32) (param $k i32) (param $n i32) (param $si i32) (param $sr i32)
    (local $i i32) (local $ai i32) (local $step i32) (local $row i32) (local $ci i32) (local $cend i32) (local $vend i32)
    (local $r0 i32) (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $row (i32.shl (local.get $n) (i32.const 3)))
    (local.set $step (i32.shl (local.get $sr) (i32.const 3)))
    (local.set $ci (local.get $c))
    (block $rows_done
      (loop $rows
        (br_if $rows_done (i32.ge_u (local.get $i) (local.get $m)))
        (local.set $ai (i32.add (local.get $a) (i32.shl (i32.mul (local.get $i) (local.get $si)) (i32.const 3))))
        (local.set $cend (i32.add (local.get $ci) (local.get $row)))
        (local.set $vend (i32.add (local.get $ci) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3))))
        (local.set $r3 (i32.const -1))
        (block $row_done
          (loop $terms
            (local.set $r0 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r3) (i32.const 1)) (local.get $k)))
            (br_if $row_done (i32.ge_u (local.get $r0) (local.get $k)))
            (local.set $r1 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r0) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r1) (local.get $k))
              (then
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (br $row_done)))
            (local.set $r2 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r1) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r2) (local.get $k))
              (then
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r1))
                (br $row_done)))
            (local.set $r3 (call $next (local.get $ai) (local.get $step) (i32.add (local.get $r2) (i32.const 1)) (local.get $k)))
            (if (i32.ge_u (local.get $r3) (local.get $k))
              (then
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r0))
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r1))
                (call $axpy1 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row) (local.get $r2))
                (br $row_done)))
            (call $axpy4 (local.get $ci) (local.get $vend) (local.get $cend) (local.get $ai) (local.get $step) (local.get $b) (local.get $row)
              (local.get $r0) (local.get $r1) (local.get $r2) (local.get $r3))
            (br $terms)))
        (local.set $ci (local.get $cend))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows))))

  ;; The first r ≥ from with a non-zero term A(i, r) (at ai + r·step), or k when there is none.
  (func $next (param $ai i32) (param $step i32) (param $from i32) (param $k i32) (result i32)
    (block $found
      (loop $scan
        (br_if $found (i32.ge_u (local.get $from) (local.get $k)))
        (br_if $found (f64.ne (f64.load (i32.add (local.get $ai) (i32.mul (local.get $from) (local.get $step)))) (f64.const 0)))
        (local.set $from (i32.add (local.get $from) (i32.const 1)))
        (br $scan)))
    (local.get $from))

  ;; One term: C row (ci … cend) += A(i, r) · B row r.
  (func $axpy1 (param $ci i32) (param $vend i32) (param $cend i32) (param $ai i32) (param $step i32) (param $b i32) (param $row i32) (param $r i32)
    (local $v f64) (local $vv v128) (local $bj i32)
    (local.set $v (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r) (local.get $step)))))
    (local.set $vv (f64x2.splat (local.get $v)))
    (local.set $bj (i32.add (local.get $b) (i32.mul (local.get $r) (local.get $row))))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $ci) (local.get $vend)))
        (v128.store align=8 (local.get $ci) (f64x2.add (v128.load align=8 (local.get $ci)) (f64x2.mul (local.get $vv) (v128.load align=8 (local.get $bj)))))
        (local.set $ci (i32.add (local.get $ci) (i32.const 16)))
        (local.set $bj (i32.add (local.get $bj) (i32.const 16)))
        (br $cols)))
    (if (i32.lt_u (local.get $ci) (local.get $cend))
      (then (f64.store (local.get $ci) (f64.add (f64.load (local.get $ci)) (f64.mul (local.get $v) (f64.load (local.get $bj))))))))

  ;; Four terms in order: ((((C + v0·B0) + v1·B1) + v2·B2) + v3·B3), C loaded and stored once.
  (func $axpy4 (param $ci i32) (param $vend i32) (param $cend i32) (param $ai i32) (param $step i32) (param $b i32) (param $row i32)
    (param $r0 i32) (param $r1 i32) (param $r2 i32) (param $r3 i32)
    (local $v0 f64) (local $v1 f64) (local $v2 f64) (local $v3 f64)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $b0 i32) (local $b1 i32) (local $b2 i32) (local $b3 i32) (local $o i32) (local $acc v128) (local $x f64)
    (local.set $v0 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r0) (local.get $step)))))
    (local.set $v1 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r1) (local.get $step)))))
    (local.set $v2 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r2) (local.get $step)))))
    (local.set $v3 (f64.load (i32.add (local.get $ai) (i32.mul (local.get $r3) (local.get $step)))))
    (local.set $s0 (f64x2.splat (local.get $v0)))
    (local.set $s1 (f64x2.splat (local.get $v1)))
    (local.set $s2 (f64x2.splat (local.get $v2)))
    (local.set $s3 (f64x2.splat (local.get $v3)))
    (local.set $b0 (i32.add (local.get $b) (i32.mul (local.get $r0) (local.get $row))))
    (local.set $b1 (i32.add (local.get $b) (i32.mul (local.get $r1) (local.get $row))))
    (local.set $b2 (i32.add (local.get $b) (i32.mul (local.get $r2) (local.get $row))))
    (local.set $b3 (i32.add (local.get $b) (i32.mul (local.get $r3) (local.get $row))))
    (block $done
      (loop $cols
        (br_if $done (i32.ge_u (local.get $ci) (local.get $vend)))
        (local.set $acc (v128.load align=8 (local.get $ci)))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s0) (v128.load align=8 (i32.add (local.get $b0) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s1) (v128.load align=8 (i32.add (local.get $b1) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s2) (v128.load align=8 (i32.add (local.get $b2) (local.get $o))))))
        (local.set $acc (f64x2.add (local.get $acc) (f64x2.mul (local.get $s3) (v128.load align=8 (i32.add (local.get $b3) (local.get $o))))))
        (v128.store align=8 (local.get $ci) (local.get $acc))
        (local.set $ci (i32.add (local.get $ci) (i32.const 16)))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $cols)))
    (if (i32.lt_u (local.get $ci) (local.get $cend))
      (then
        (local.set $x (f64.load (local.get $ci)))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v0) (f64.load (i32.add (local.get $b0) (local.get $o))))))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v1) (f64.load (i32.add (local.get $b1) (local.get $o))))))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v2) (f64.load (i32.add (local.get $b2) (local.get $o))))))
        (local.set $x (f64.add (local.get $x) (f64.mul (local.get $v3) (f64.load (i32.add (local.get $b3) (local.get $o))))))
        (f64.store (local.get $ci) (local.get $x)))))

  ;; One Adam step over n float64 parameters p with first and second moments m and v, L2 decay
  ;; folded into the gradient g; the operations of the MLP trainer's scalar loop in its order, so
  ;; the result is JavaScript's bit for bit: g' = g + decay·p; m = b1·m + c1m·g'; v = b2·v +
  ;; (c2m·g')·g'; p = p − ((lr·m)·c1) / (sqrt(v·c2) + 1e−8), where c1m = 1 − b1 and c2m = 1 − b2
  ;; as JavaScript rounds them. Pointers are byte offsets; an odd n ends with one scalar step.
  (func (export "adam") (param $p i32) (param $m i32) (param $v i32) (param $g i32) (param $n i32)
    (param $decay f64) (param $b1 f64) (param $c1m f64) (param $b2 f64) (param $c2m f64) (param $lr f64) (param $c1 f64) (param $c2 f64)
    (local $end i32) (local $vend i32) (local $o i32)
    (local $pi v128) (local $gi v128) (local $mi v128) (local $vi v128)
    (local $sp f64) (local $sg f64) (local $sm f64) (local $sv f64)
    (local.set $end (i32.shl (local.get $n) (i32.const 3)))
    (local.set $vend (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 3)))
    (block $done
      (loop $pairs
        (br_if $done (i32.ge_u (local.get $o) (local.get $vend)))
        (local.set $pi (v128.load align=8 (i32.add (local.get $p) (local.get $o))))
        (local.set $gi (f64x2.add (v128.load align=8 (i32.add (local.get $g) (local.get $o))) (f64x2.mul (f64x2.splat (local.get $decay)) (local.get $pi))))
        (local.set $mi (f64x2.add (f64x2.mul (f64x2.splat (local.get $b1)) (v128.load align=8 (i32.add (local.get $m) (local.get $o)))) (f64x2.mul (f64x2.splat (local.get $c1m)) (local.get $gi))))
        (local.set $vi (f64x2.add (f64x2.mul (f64x2.splat (local.get $b2)) (v128.load align=8 (i32.add (local.get $v) (local.get $o)))) (f64x2.mul (f64x2.mul (f64x2.splat (local.get $c2m)) (local.get $gi)) (local.get $gi))))
        (v128.store align=8 (i32.add (local.get $m) (local.get $o)) (local.get $mi))
        (v128.store align=8 (i32.add (local.get $v) (local.get $o)) (local.get $vi))
        (v128.store align=8 (i32.add (local.get $p) (local.get $o))
          (f64x2.sub (local.get $pi)
            (f64x2.div
              (f64x2.mul (f64x2.mul (f64x2.splat (local.get $lr)) (local.get $mi)) (f64x2.splat (local.get $c1)))
              (f64x2.add (f64x2.sqrt (f64x2.mul (local.get $vi) (f64x2.splat (local.get $c2)))) (f64x2.splat (f64.const 1e-8))))))
        (local.set $o (i32.add (local.get $o) (i32.const 16)))
        (br $pairs)))
    (if (i32.lt_u (local.get $o) (local.get $end))
      (then
        (local.set $sp (f64.load (i32.add (local.get $p) (local.get $o))))
        (local.set $sg (f64.add (f64.load (i32.add (local.get $g) (local.get $o))) (f64.mul (local.get $decay) (local.get $sp))))
        (local.set $sm (f64.add (f64.mul (local.get $b1) (f64.load (i32.add (local.get $m) (local.get $o)))) (f64.mul (local.get $c1m) (local.get $sg))))
        (local.set $sv (f64.add (f64.mul (local.get $b2) (f64.load (i32.add (local.get $v) (local.get $o)))) (f64.mul (f64.mul (local.get $c2m) (local.get $sg)) (local.get $sg))))
        (f64.store (i32.add (local.get $m) (local.get $o)) (local.get $sm))
        (f64.store (i32.add (local.get $v) (local.get $o)) (local.get $sv))
        (f64.store (i32.add (local.get $p) (local.get $o))
          (f64.sub (local.get $sp)
            (f64.div
              (f64.mul (f64.mul (local.get $lr) (local.get $sm)) (local.get $c1))
              (f64.add (f64.sqrt (f64.mul (local.get $sv) (local.get $c2))) (f64.const 1e-8)))))))))
