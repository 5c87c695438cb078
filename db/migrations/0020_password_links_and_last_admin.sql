CREATE TABLE "password_links" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	CONSTRAINT "password_links_token_hash_format" CHECK ("password_links"."token_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "password_links_expiry_window" CHECK ("password_links"."expires_at" > "password_links"."created_at" and "password_links"."expires_at" <= "password_links"."created_at" + interval '24 hours'),
	CONSTRAINT "password_links_used_in_time" CHECK ("password_links"."used_at" is null or ("password_links"."used_at" >= "password_links"."created_at" and "password_links"."used_at" <= "password_links"."expires_at"))
);
--> statement-breakpoint
ALTER TABLE "password_links" ADD CONSTRAINT "password_links_user_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "password_links" ADD CONSTRAINT "password_links_created_by_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "password_links_token_hash_key" ON "password_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "password_links_user_id_idx" ON "password_links" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "user_roles_role_id_idx" ON "user_roles" USING btree ("role_id");
--> statement-breakpoint
-- A used link stays used: used_at is set once (by the one conditional UPDATE that consumes it) and never changes.
CREATE FUNCTION password_links_used_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.used_at IS NOT NULL AND NEW.used_at IS DISTINCT FROM OLD.used_at THEN
    RAISE EXCEPTION 'This set-password link was already used'
      USING ERRCODE = 'check_violation', CONSTRAINT = 'password_links_used_once';
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER password_links_used_once BEFORE UPDATE ON password_links FOR EACH ROW EXECUTE FUNCTION password_links_used_once();
--> statement-breakpoint
-- Nobody deactivates or demotes the last active admin. Two transactions demoting the last two admins at once would
-- each still see the other as an admin; so the check first locks the admin role's row (FOR NO KEY UPDATE: it does
-- not block the key-share locks of foreign key checks), which makes the second wait for the first to commit and then
-- count again with a fresh snapshot (READ COMMITTED: each statement of the function takes a new one).
CREATE FUNCTION users_an_active_admin_remains() RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
  admin_role uuid;
BEGIN
  SELECT id INTO admin_role FROM roles WHERE name = 'admin' FOR NO KEY UPDATE;
  RETURN admin_role IS NULL
      OR EXISTS (SELECT 1 FROM user_roles ur JOIN users u ON u.id = ur.user_id WHERE ur.role_id = admin_role AND u.is_active);
END
$$;
--> statement-breakpoint
-- Deactivating a user who holds the admin role.
CREATE FUNCTION users_keep_an_admin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE ur.user_id = NEW.id AND r.name = 'admin') THEN
    IF NOT users_an_active_admin_remains() THEN
      RAISE EXCEPTION 'The last active admin cannot be deactivated or lose the admin role'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'users_last_active_admin';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER users_keep_an_admin AFTER UPDATE OF is_active ON users FOR EACH ROW
  WHEN (OLD.is_active AND NOT NEW.is_active) EXECUTE FUNCTION users_keep_an_admin();
--> statement-breakpoint
-- Taking the admin role from someone (or moving the grant), including when their user row is deleted (cascade).
-- An inactive user's admin grant may go: it counted for nothing.
CREATE FUNCTION user_roles_keep_an_admin() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.role_id = OLD.role_id AND NEW.user_id = OLD.user_id THEN
    RETURN NULL;
  END IF;
  IF EXISTS (SELECT 1 FROM roles WHERE id = OLD.role_id AND name = 'admin')
     AND NOT EXISTS (SELECT 1 FROM users WHERE id = OLD.user_id AND NOT is_active) THEN
    IF NOT users_an_active_admin_remains() THEN
      RAISE EXCEPTION 'The last active admin cannot be deactivated or lose the admin role'
        USING ERRCODE = 'check_violation', CONSTRAINT = 'users_last_active_admin';
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER user_roles_keep_an_admin AFTER UPDATE OR DELETE ON user_roles FOR EACH ROW EXECUTE FUNCTION user_roles_keep_an_admin();
