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
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    if image.width() < 200 || image.height() < 200 {
        return Err(refused(
            "Cette image est trop petite : choisissez une photo d'au moins 200 × 200 pixels.",
        ));
    }
    let large = if image.width() > LARGE_SIDE || image.height() > LARGE_SIDE {
        image.resize(LARGE_SIDE, LARGE_SIDE, FilterType::CatmullRom)
    } else {
        image.clone()
    };
    let thumbnail = image.resize_to_fill(THUMBNAIL_SIDE, THUMBNAIL_SIDE, FilterType::CatmullRom);
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
