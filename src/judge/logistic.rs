//! Logistic regression over a fixed number of dense features: the answer models' learner.
//! Full-batch gradient descent from zero weights, so training is deterministic and a test can
//! check that the embedded weights are what the data makes.

use super::model::sigmoid;

/// A weight per feature; feature 0 is the bias (always 1, never regularised).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Logistic<const N: usize> {
    pub weights: [f32; N],
}

impl<const N: usize> Logistic<N> {
    /// Reads weights stored by [`Logistic::store`]; `None` when the bytes do not fit.
    pub fn load(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != N * 4 {
            return None;
        }
        let mut weights = [0f32; N];
        for (w, chunk) in weights.iter_mut().zip(bytes.chunks_exact(4)) {
            *w = f32::from_le_bytes(chunk.try_into().ok()?);
        }
        Some(Logistic { weights })
    }

    /// One little-endian `f32` per feature.
    pub fn store(&self) -> Vec<u8> {
        self.weights.iter().flat_map(|w| w.to_le_bytes()).collect()
    }

    pub fn probability(&self, features: &[f32; N]) -> f32 {
        let z: f32 = self.weights.iter().zip(features).map(|(w, x)| w * x).sum();
        sigmoid(z)
    }

    /// Trains on rows of (features, label) with L2 on every weight but the bias.
    pub fn train(rows: &[([f32; N], bool)], iterations: usize, rate: f32, l2: f32) -> Self {
        let mut w = [0f32; N];
        if rows.is_empty() {
            return Logistic { weights: w };
        }
        let n = rows.len() as f32;
        for _ in 0..iterations {
            let mut grad = [0f32; N];
            for (x, y) in rows {
                let z: f32 = w.iter().zip(x).map(|(w, x)| w * x).sum();
                let err = sigmoid(z) - if *y { 1.0 } else { 0.0 };
                for (g, xi) in grad.iter_mut().zip(x) {
                    *g += err * xi;
                }
            }
            for (i, wi) in w.iter_mut().enumerate() {
                let reg = if i == 0 { 0.0 } else { l2 * *wi };
                *wi -= rate * (grad[i] / n + reg);
            }
        }
        Logistic { weights: w }
    }
}

#[cfg(test)]
mod tests {
    use super::Logistic;

    #[test]
    fn learns_a_separable_rule_and_round_trips() {
        let rows: Vec<([f32; 2], bool)> = (0..40)
            .map(|i| ([1.0, if i % 2 == 0 { 1.0 } else { -1.0 }], i % 2 == 0))
            .collect();
        let m = Logistic::<2>::train(&rows, 500, 0.5, 1e-3);
        assert!(m.probability(&[1.0, 1.0]) > 0.9);
        assert!(m.probability(&[1.0, -1.0]) < 0.1);
        assert_eq!(Logistic::<2>::load(&m.store()), Some(m));
        assert_eq!(Logistic::<2>::load(&[0u8; 7]), None);
    }
}
