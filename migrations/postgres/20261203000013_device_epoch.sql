-- Device cookies name the epoch they were issued in (`auth::device`); a new password or
-- sign-in address moves it on, so that the cookies issued before stop counting.
ALTER TABLE users ADD COLUMN device_epoch BIGINT NOT NULL DEFAULT 0;
