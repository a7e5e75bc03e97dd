//! Artist photos: checked, re-encoded and resized on the server, so that what we serve is
//! always a plain JPEG of known size, without the original's metadata (GPS position…).

use crate::rationed::Ration;
use crate::{artists::model::limits, error::AppError};
use image::{
    DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits, RgbImage,
    codecs::jpeg::JpegEncoder, imageops::FilterType,
};
use sha2::{Digest, Sha256};
use std::{io::Cursor, path::Path, sync::LazyLock, time::Duration};

const LARGE_SIDE: u32 = 1200;
const THUMBNAIL_SIDE: u32 = 480;
const JPEG_QUALITY: u8 = 85;

/// The two JPEG files made from one upload.
pub struct Encoded {
    /// Names the files: `{name}.jpg` and `{name}-vignette.jpg`.
    pub name: String,
    pub large: Vec<u8>,
    pub thumbnail: Vec<u8>,
}

/// Sizes, not bytes: a failing test or a log line must not print megabytes.
impl std::fmt::Debug for Encoded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Encoded")
            .field("name", &self.name)
            .field("large_bytes", &self.large.len())
            .field("thumbnail_bytes", &self.thumbnail.len())
            .finish()
    }
}

fn refused(message: &str) -> AppError {
    AppError::invalid("photo", message)
}

/// Largest picture decoded: 40 million pixels (a 50-megapixel phone photo is rare; a
/// decoded pixel takes 4 bytes, so this bounds one decode's memory with `MAX_ALLOC`).
const MAX_PIXELS: u64 = 40_000_000;
const MAX_SIDE: u32 = 16_000;
const MAX_ALLOC: u64 = 128 * 1024 * 1024;
/// Two photos decoded at once, whatever the number of uploads (each may take `MAX_ALLOC`);
/// an upload waits 10 s at most for its turn.
static DECODES: LazyLock<Ration> =
    LazyLock::new(|| Ration::new(2, Duration::from_secs(10), "photo decoding"));

/// `encode` on the blocking pool, a few at a time.
pub async fn encode_rationed(bytes: Vec<u8>, owner: i64) -> Result<Encoded, AppError> {
    DECODES.run(move || encode(&bytes, owner)).await
}

/// Decodes a JPEG, PNG or WebP file and makes both sizes, named after their content and
/// their `owner` (an account's files are its own, even for the same picture). CPU-bound:
/// call it through `encode_rationed`.
pub fn encode(bytes: &[u8], owner: i64) -> Result<Encoded, AppError> {
    if bytes.len() > limits::PHOTO_BYTES {
        return Err(too_large());
    }
    let format = image::guess_format(bytes).ok();
    if !matches!(
        format,
        Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)
    ) {
        return Err(refused(
            "Ce fichier n'est pas une image JPEG, PNG ou WebP. Choisissez une photo dans l'un de ces formats.",
        ));
    }
    let unreadable =
        |_| refused("Cette image est illisible ou abîmée. Essayez avec une autre photo.");
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|_| refused("Cette image est illisible."))?;
    // A small file can claim enormous dimensions: cap what decoding may allocate, and read
    // the dimensions before decoding anything.
    let mut decode_limits = Limits::default();
    decode_limits.max_image_width = Some(MAX_SIDE);
    decode_limits.max_image_height = Some(MAX_SIDE);
    decode_limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(decode_limits);
    let too_big = || {
        refused(
            "Cette image est trop grande : choisissez une photo de 40 millions de pixels au plus (par exemple 6 000 × 4 000).",
        )
    };
    let mut decoder = reader.into_decoder().map_err(|error| match error {
        image::ImageError::Limits(_) => too_big(),
        _ => unreadable(error),
    })?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(too_big());
    }
    // Phones store photos sideways and say so in EXIF; apply it before dropping the metadata.
    let orientation = decoder.orientation().map_err(unreadable)?;
    let mut large = {
        let image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
        if image.width() < 200 || image.height() < 200 {
            return Err(refused(
                "Cette image est trop petite : choisissez une photo d'au moins 200 × 200 pixels.",
            ));
        }
        shrink_to_fit(image, LARGE_SIDE)
    };
    // Turned upright once small (both sizes fit in a square): turning the decoded picture
    // would copy it whole.
    large.apply_orientation(orientation);
    let thumbnail = large.resize_to_fill(THUMBNAIL_SIDE, THUMBNAIL_SIDE, FilterType::CatmullRom);
    let large = jpeg(&large)?;
    let thumbnail = jpeg(&thumbnail)?;
    let digest = Sha256::digest(&large);
    let hash: String = digest[..12].iter().map(|b| format!("{b:02x}")).collect();
    let name = format!("{owner}-{hash}");
    Ok(Encoded {
        name,
        large,
        thumbnail,
    })
}

/// `image` made to fit in a `side` × `side` square, if larger; the decoded picture is copied
/// nowhere. Large pictures are first averaged down to twice the size (which allocates only
/// its result), then filtered smoothly to it (whose working copy, in floats, would take 16
/// bytes per pixel of every column of the original).
fn shrink_to_fit(image: DynamicImage, side: u32) -> DynamicImage {
    if image.width() <= side && image.height() <= side {
        return image;
    }
    let near = if image.width() > 2 * side || image.height() > 2 * side {
        let near = image.thumbnail(2 * side, 2 * side);
        drop(image);
        near
    } else {
        image
    };
    near.resize(side, side, FilterType::CatmullRom)
}

pub fn too_large() -> AppError {
    refused(crate::artists::model::PHOTO_TOO_LARGE)
}

/// JPEG has no transparency: transparent pixels are laid on white, not on black.
fn jpeg(image: &DynamicImage) -> Result<Vec<u8>, AppError> {
    let rgba = image.to_rgba8();
    let flattened = RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over_white = |channel: u8| {
            let alpha = u16::from(a);
            ((u16::from(channel) * alpha + 255 * (255 - alpha)) / 255) as u8
        };
        image::Rgb([over_white(r), over_white(g), over_white(b)])
    });
    let mut out = Vec::new();
    JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
        .encode_image(&flattened)
        .map_err(|error| AppError::internal("encoding a photo", error))?;
    Ok(out)
}

/// Writes both files under `folder` (each through a temporary file, so a crash never leaves
/// half a photo behind).
pub async fn write(folder: &Path, encoded: &Encoded) -> Result<(), AppError> {
    tokio::fs::create_dir_all(folder)
        .await
        .map_err(|error| AppError::internal("creating the photo folder", error))?;
    for (file, bytes) in [
        (format!("{}.jpg", encoded.name), &encoded.large),
        (format!("{}-vignette.jpg", encoded.name), &encoded.thumbnail),
    ] {
        let temporary = folder.join(format!(".{file}.tmp"));
        tokio::fs::write(&temporary, bytes)
            .await
            .map_err(|error| AppError::internal("writing a photo", error))?;
        tokio::fs::rename(&temporary, folder.join(&file))
            .await
            .map_err(|error| AppError::internal("moving a photo into place", error))?;
    }
    Ok(())
}

/// Removes a replaced photo's files; a failure is logged, not shown (the new photo is saved).
pub async fn remove(folder: &Path, name: &str) {
    for file in [format!("{name}.jpg"), format!("{name}-vignette.jpg")] {
        if let Err(error) = tokio::fs::remove_file(folder.join(&file)).await {
            tracing::warn!(%error, file, "could not remove a replaced photo");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let image = image::RgbaImage::from_pixel(width, height, image::Rgba([200, 30, 60, 0]));
        let mut out = Cursor::new(Vec::new());
        image.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    #[test]
    fn a_large_png_becomes_two_bounded_jpegs_on_white() {
        let encoded = encode(&png(2400, 1600), 7).unwrap();
        let large = image::load_from_memory(&encoded.large).unwrap();
        assert_eq!((large.width(), large.height()), (1200, 800));
        let thumbnail = image::load_from_memory(&encoded.thumbnail).unwrap();
        assert_eq!((thumbnail.width(), thumbnail.height()), (480, 480));
        let pixel = thumbnail.to_rgb8().get_pixel(10, 10).0;
        assert!(
            pixel.iter().all(|c| *c > 240),
            "transparent became white: {pixel:?}"
        );
        assert!(encoded.name.starts_with("7-"), "{}", encoded.name);
        assert_eq!(encoded.name.len(), 26);
        let same_picture = encode(&png(2400, 1600), 8).unwrap();
        assert_ne!(
            same_picture.name, encoded.name,
            "each account's files are its own"
        );
    }

    /// Counts the bytes this thread holds, and the most it held (encoding runs on one thread).
    struct Counting;

    thread_local! {
        static HELD: std::cell::Cell<(usize, usize)> = const { std::cell::Cell::new((0, 0)) };
    }

    fn count(grown: usize, shrunk: usize) {
        // `try_with`: no accounting while the thread is being torn down.
        let _ = HELD.try_with(|held| {
            let (now, peak) = held.get();
            let now = (now + grown).saturating_sub(shrunk);
            held.set((now, peak.max(now)));
        });
    }

    unsafe impl std::alloc::GlobalAlloc for Counting {
        unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
            count(layout.size(), 0);
            unsafe { std::alloc::System.alloc(layout) }
        }
        unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
            count(0, layout.size());
            unsafe { std::alloc::System.dealloc(ptr, layout) }
        }
        unsafe fn realloc(
            &self,
            ptr: *mut u8,
            layout: std::alloc::Layout,
            new_size: usize,
        ) -> *mut u8 {
            count(new_size, layout.size());
            unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
        }
    }

    #[global_allocator]
    static COUNTING: Counting = Counting;

    /// The most memory `work` held at once beyond what was held before it.
    fn peak_of<T>(work: impl FnOnce() -> T) -> (T, usize) {
        let before = HELD.with(|held| {
            let (now, _) = held.get();
            held.set((now, now));
            now
        });
        let result = work();
        let peak = HELD.with(|held| held.get().1);
        (result, peak - before)
    }

    /// A big photo is decoded once, and its size adds little: no whole copy of it (to turn
    /// it upright, or to resize it through floats) is ever made.
    #[test]
    fn encoding_a_big_photo_holds_little_more_than_its_decoded_pixels() {
        let (width, height) = (6000, 4000);
        let picture = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 90])
        });
        let mut file = Vec::new();
        JpegEncoder::new_with_quality(&mut file, 80)
            .encode_image(&picture)
            .unwrap();
        drop(picture);
        let (encoded, peak) = peak_of(|| encode(&file, 1));
        let encoded = encoded.unwrap();
        let decoded = (width * height * 3) as usize;
        println!(
            "{width}×{height} JPEG: {} MB decoded, {} MB held at most while encoding",
            decoded / 1_000_000,
            peak / 1_000_000
        );
        assert!(
            peak < decoded * 13 / 10,
            "{peak} bytes held at most, for {decoded} decoded"
        );
        let large = image::load_from_memory(&encoded.large).unwrap();
        assert_eq!((large.width(), large.height()), (1200, 800));
    }

    #[test]
    fn text_and_tiny_images_are_refused() {
        assert_eq!(
            encode(b"hello, not an image", 1).unwrap_err().field(),
            Some("photo")
        );
        assert!(encode(&png(50, 50), 1).is_err());
        let truncated = &png(400, 400)[..200];
        assert!(encode(truncated, 1).is_err());
    }

    /// A real PNG of `width` × `height` black pixels, one bit each: a few kilobytes that
    /// would decode into hundreds of megabytes (an image bomb).
    fn bomb_png(width: u32, height: u32) -> Vec<u8> {
        let mut out = Vec::new();
        let mut encoder = png::Encoder::new(&mut out, width, height);
        encoder.set_color(png::ColorType::Grayscale);
        encoder.set_depth(png::BitDepth::One);
        let mut writer = encoder.write_header().unwrap();
        let row = width.div_ceil(8) as usize;
        writer
            .write_image_data(&vec![0; row * height as usize])
            .unwrap();
        writer.finish().unwrap();
        out
    }

    #[test]
    fn a_picture_over_40_megapixels_is_refused_before_decoding() {
        for (width, height) in [(12_000, 12_000), (8_000, 6_000), (16_000, 2_600)] {
            let bomb = bomb_png(width, height);
            assert!(bomb.len() < 1_000_000, "{} bytes", bomb.len());
            let error = encode(&bomb, 1).unwrap_err();
            assert!(
                error.to_string().contains("trop grande"),
                "{width}×{height}: {error}"
            );
        }
    }
}
