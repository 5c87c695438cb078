CREATE SEQUENCE "public"."role_permissions_version_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "roles" ADD COLUMN "permissions_version" bigint DEFAULT nextval('role_permissions_version_seq') NOT NULL;--> statement-breakpoint
-- A role's permissions_version names one state of its permissions: the session lookup (api/modules/auth) returns the
-- user's (role, version) list, and an API process that has seen that list already is not sent the permissions again
-- (building 70-odd grants as JSON was most of each request's session lookup). So the value must never repeat or be
-- chosen: every insert and every change of it takes the sequence's next value (the API role cannot setval), and any
-- write to a role's permissions changes it.
CREATE FUNCTION roles_permissions_version_fresh() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' OR NEW.permissions_version IS DISTINCT FROM OLD.permissions_version THEN
    NEW.permissions_version := nextval('role_permissions_version_seq');
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER roles_permissions_version_fresh BEFORE INSERT OR UPDATE OF permissions_version ON roles
  FOR EACH ROW EXECUTE FUNCTION roles_permissions_version_fresh();
--> statement-breakpoint
CREATE FUNCTION permissions_bump_role_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Any new value will do: roles_permissions_version_fresh replaces it with the sequence's next one.
  UPDATE roles SET permissions_version = -1
  WHERE id IN (CASE WHEN TG_OP <> 'INSERT' THEN OLD.role_id END, CASE WHEN TG_OP <> 'DELETE' THEN NEW.role_id END);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER permissions_bump_role_version AFTER INSERT OR UPDATE OR DELETE ON permissions
  FOR EACH ROW EXECUTE FUNCTION permissions_bump_role_version();
