//! A trained run's whole state as bytes, and back: what lets a second instance of the module (the
//! page's Web Worker) train a copy of a run and hand it back, so that the next iteration is the
//! same wherever it runs.
//!
//! The format is the simplest that can be checked: a header (a tag, a version and the model's
//! name), then numbers in a fixed order, little-endian, every list preceded by its length. A
//! [`Reader`] refuses bytes that end early, hold a different model or a list of another length
//! than the run it is read into, with a message that says which; the models read everything into
//! new values first and change nothing unless all of it was read.

use crate::divergence::DivergenceGuard;
use crate::history::Curves;
use crate::nn::Optimizer;
use crate::rng::Rng;

/// The first bytes of every state, and the format's version (a change of layout bumps it).
const TAG: &[u8; 4] = b"GPST";
const VERSION: u32 = 1;

/// Writes a state.
pub struct Writer {
    bytes: Vec<u8>,
}

impl Writer {
    /// A state of the model named `model` ("gan", "vae").
    pub fn new(model: &str) -> Self {
        let mut w = Writer { bytes: Vec::new() };
        w.bytes.extend_from_slice(TAG);
        w.u32(VERSION);
        w.text(model);
        w
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    pub fn u32(&mut self, v: u32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn u64(&mut self, v: u64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f32(&mut self, v: f32) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f32s(&mut self, values: &[f32]) {
        self.list(values, f32::to_le_bytes);
    }

    pub fn u64s(&mut self, values: &[u64]) {
        self.list(values, u64::to_le_bytes);
    }

    pub fn f64(&mut self, v: f64) {
        self.bytes.extend_from_slice(&v.to_le_bytes());
    }

    pub fn f64s(&mut self, values: &[f64]) {
        self.list(values, f64::to_le_bytes);
    }

    /// A list: its length, then each number's `N` bytes from `encode` (see [`Reader::list`]).
    fn list<const N: usize, T: Copy>(&mut self, values: &[T], encode: fn(T) -> [u8; N]) {
        self.u64(values.len() as u64);
        self.bytes.reserve(N * values.len());
        values
            .iter()
            .for_each(|&v| self.bytes.extend_from_slice(&encode(v)));
    }

    /// A yes or no (a word, 0 or 1), as before a value that may be absent.
    pub fn flag(&mut self, yes: bool) {
        self.u32(yes.into());
    }

    pub fn text(&mut self, text: &str) {
        self.u64(text.len() as u64);
        self.bytes.extend_from_slice(text.as_bytes());
    }

    pub fn rng(&mut self, rng: &Rng) {
        rng.state().iter().for_each(|&word| self.u64(word));
    }

    /// The learning rate, the update count and the moments (see [`Reader::optimizer`]).
    pub fn optimizer(&mut self, optimizer: &Optimizer) {
        let (first, second) = optimizer.state();
        self.f32(optimizer.learning_rate());
        self.u32(optimizer.steps());
        self.f32s(first);
        self.f32s(second);
    }

    pub fn curves<const N: usize>(&mut self, curves: &Curves<N>) {
        let (stride, iterations, series) = curves.parts();
        self.u64(stride);
        self.u64s(iterations);
        series.iter().for_each(|s| self.f32s(s));
    }

    pub fn divergence(&mut self, guard: &DivergenceGuard) {
        self.flag(guard.message().is_some());
        if let Some(message) = guard.message() {
            self.text(message);
        }
    }
}

/// `values` if it holds `expected` numbers, else why the state does not fit (`what` names it).
fn fits<T>(values: Vec<T>, what: &str, expected: usize) -> Result<Vec<T>, String> {
    if values.len() != expected {
        return Err(format!(
            "this training state does not fit this run: {what} has {} numbers, the run {expected} (rebuild with the same settings first)",
            values.len()
        ));
    }
    Ok(values)
}

/// Reads a state written by [`Writer`], refusing what does not fit.
pub struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    /// Starts reading a state of the model `model`; refuses another format, version or model.
    pub fn new(bytes: &'a [u8], model: &str) -> Result<Self, String> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(TAG.len()).ok() != Some(TAG.as_slice()) {
            return Err("these bytes are not a genplay training state".into());
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(format!(
                "this training state has format {version}; this genplay reads format {VERSION}"
            ));
        }
        let of = r.text()?;
        if of != model {
            return Err(format!(
                "this training state is of the {of} lab, not the {model} lab"
            ));
        }
        Ok(r)
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8], String> {
        let end = self
            .at
            .checked_add(n)
            .filter(|&end| end <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!(
                "the training state ends early: {} bytes, more were expected after byte {}",
                self.bytes.len(),
                self.at
            ));
        };
        let taken = &self.bytes[self.at..end];
        self.at = end;
        Ok(taken)
    }

    fn array<const N: usize>(&mut self) -> Result<[u8; N], String> {
        let mut out = [0; N];
        out.copy_from_slice(self.take(N)?);
        Ok(out)
    }

    pub fn u32(&mut self) -> Result<u32, String> {
        self.array().map(u32::from_le_bytes)
    }

    pub fn u64(&mut self) -> Result<u64, String> {
        self.array().map(u64::from_le_bytes)
    }

    pub fn f32(&mut self) -> Result<f32, String> {
        self.array().map(f32::from_le_bytes)
    }

    /// A list's length, no longer than what is left could hold at `size` bytes an entry (so a
    /// corrupt length never makes a huge allocation).
    fn len(&mut self, size: usize) -> Result<usize, String> {
        let n = self.u64()?;
        let left = (self.bytes.len() - self.at) / size;
        if n > left as u64 {
            return Err(format!(
                "the training state ends early: a list of {n} entries, room for {left}"
            ));
        }
        Ok(n as usize)
    }

    /// A list of any length of numbers of `N` bytes each, decoded by `decode` in one pass over
    /// its bytes (a network's millions of numbers are read at every worker's result).
    fn list<const N: usize, T>(&mut self, decode: fn([u8; N]) -> T) -> Result<Vec<T>, String> {
        let n = self.len(N)?;
        let bytes = self.take(n * N)?;
        Ok(bytes
            .chunks_exact(N)
            .map(|c| decode(c.try_into().expect("chunks of N bytes")))
            .collect())
    }

    /// A list of numbers of any length.
    pub fn any_f32s(&mut self) -> Result<Vec<f32>, String> {
        self.list(f32::from_le_bytes)
    }

    /// A list of exactly `expected` numbers (`what` names it in the message otherwise).
    pub fn f32s(&mut self, what: &str, expected: usize) -> Result<Vec<f32>, String> {
        fits(self.any_f32s()?, what, expected)
    }

    pub fn u64s(&mut self) -> Result<Vec<u64>, String> {
        self.list(u64::from_le_bytes)
    }

    pub fn f64(&mut self) -> Result<f64, String> {
        self.array().map(f64::from_le_bytes)
    }

    /// A list of exactly `expected` numbers in double precision (`what` names it otherwise).
    pub fn f64s(&mut self, what: &str, expected: usize) -> Result<Vec<f64>, String> {
        fits(self.any_f64s()?, what, expected)
    }

    /// A list of double-precision numbers of any length.
    pub fn any_f64s(&mut self) -> Result<Vec<f64>, String> {
        self.list(f64::from_le_bytes)
    }

    pub fn text(&mut self) -> Result<String, String> {
        let n = self.len(1)?;
        String::from_utf8(self.take(n)?.to_vec())
            .map_err(|_| "the training state holds a name that is not text".to_string())
    }

    pub fn rng(&mut self) -> Result<Rng, String> {
        let s = [self.u64()?, self.u64()?, self.u64()?, self.u64()?];
        Rng::from_state(s).ok_or_else(|| "the training state's generator is all zeros".into())
    }

    /// An optimizer like `like` (its kind and sizes) with the state read.
    pub fn optimizer(&mut self, what: &str, like: &Optimizer) -> Result<Optimizer, String> {
        let learning_rate = self.f32()?;
        let steps = self.u32()?;
        let (first, second) = like.state();
        let read_first = self.f32s(what, first.len())?;
        let read_second = self.f32s(what, second.len())?;
        let mut optimizer = Optimizer::new(like.kind(), learning_rate, first.len());
        let (f, s, t) = optimizer.state_mut();
        f.copy_from_slice(&read_first);
        s.copy_from_slice(&read_second);
        *t = steps;
        Ok(optimizer)
    }

    /// Curves of the same capacity as `like`.
    pub fn curves<const N: usize>(&mut self, like: &Curves<N>) -> Result<Curves<N>, String> {
        let stride = self.u64()?;
        let iterations = self.u64s()?;
        let mut series: [Vec<f32>; N] = std::array::from_fn(|_| Vec::new());
        for s in &mut series {
            *s = self.f32s("a training curve", iterations.len())?;
        }
        like.with_parts(stride, iterations, series)
    }

    pub fn divergence(&mut self) -> Result<DivergenceGuard, String> {
        Ok(if self.flag("divergence")? {
            DivergenceGuard::tripped(self.text()?)
        } else {
            DivergenceGuard::new()
        })
    }

    /// A yes or no that [`Writer::flag`] wrote (`what` names it when the word is neither).
    pub fn flag(&mut self, what: &str) -> Result<bool, String> {
        match self.u32()? {
            0 => Ok(false),
            1 => Ok(true),
            other => Err(format!("the training state's {what} flag is {other}")),
        }
    }

    /// Ends reading: refuses bytes left over (a state of another layout).
    pub fn finish(self) -> Result<(), String> {
        let left = self.bytes.len() - self.at;
        if left == 0 {
            Ok(())
        } else {
            Err(format!(
                "the training state has {left} bytes more than this run holds"
            ))
        }
    }
}
